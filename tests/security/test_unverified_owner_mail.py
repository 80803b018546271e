"""A tenant whose owner has not verified their email address cannot make the platform mail the world: past a small
daily number, its mail to others is skipped, logged and audited. Mail about the owner's own account still goes,
and verifying lifts the hold."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.account_helpers import emailed_token
from tests.api.conftest import Tenant
from tests.support.invitations import invite

DAILY = 3


@pytest.fixture(autouse=True)
def _small_daily_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "unverified_owner_mails_per_day", DAILY)


def _invitation_mails() -> int:
    return sum(1 for mail in sent_mail() if "/accept-invitation?token=" in (mail["text"] or ""))


def _skips(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    response = client.get("/v1/audit-events", params={"action": "email.skipped"}, headers=tenant.auth)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["data"]
    return entries


def test_an_unverified_owners_tenant_mails_others_only_a_few_times_a_day(client: TestClient, worker: Worker,
                                                                        tenant_a: Tenant) -> None:
    for number in range(DAILY + 2):
        invite(client, tenant_a.auth, f"guest{number}@example.com")
    worker.drain()

    assert _invitation_mails() == DAILY
    skipped = _skips(client, tenant_a)
    assert len(skipped) == 2 and all(entry["actor"]["id"] == "mail" for entry in skipped)


def test_the_owners_own_security_mail_still_goes_and_verifying_lifts_the_hold(client: TestClient, worker: Worker,
                                                                              tenant_a: Tenant) -> None:
    for number in range(DAILY):
        invite(client, tenant_a.auth, f"guest{number}@example.com")
    assert client.post("/v1/me/email-verification", headers=tenant_a.auth).status_code == 202
    worker.drain()
    token = emailed_token(tenant_a.email, "atr_ver_")  # over the day's number, and still sent
    invite(client, tenant_a.auth, "held@example.com")
    worker.drain()
    assert _invitation_mails() == DAILY

    assert client.post("/v1/auth/verify-email", json={"token": token}).status_code == 204
    invite(client, tenant_a.auth, "after@example.com")
    worker.drain()
    assert _invitation_mails() == DAILY + 1
    assert sent_mail()[0]["to"] == "after@example.com"  # newest first


def test_another_tenants_verified_member_does_not_lift_the_hold(client: TestClient, worker: Worker,
                                                                tenant_a: Tenant, tenant_b: Tenant) -> None:
    """Verifying lifts only the hold its own tenant's owner is under."""
    assert client.post("/v1/me/email-verification", headers=tenant_b.auth).status_code == 202
    worker.drain()
    assert client.post("/v1/auth/verify-email",
                       json={"token": emailed_token(tenant_b.email, "atr_ver_")}).status_code == 204
    for number in range(DAILY + 1):
        invite(client, tenant_a.auth, f"guest{number}@example.com")
        invite(client, tenant_b.auth, f"other{number}@example.com")
    worker.drain()
    assert _invitation_mails() == DAILY + DAILY + 1
