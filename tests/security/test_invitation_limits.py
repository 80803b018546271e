"""Invitations cannot be used to mail-bomb an address or the world: a tenant creates only so many an hour and a
day, and an address is invited only so many times a day however often its invitation is revoked and made again.
Over a limit the request is a 429 problem with Retry-After, and no email goes out."""

import jwt
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from atrium.identity.tokens import issue_access_token
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import Tenant

INVITATIONS = "/v1/invitations"
VICTIM = "victim@example.com"


def _invite(client: TestClient, tenant: Tenant, email: str) -> Response:
    response: Response = client.post(INVITATIONS, json={"email": email, "roles": [{"role": "member"}]},
                                     headers=_auth(tenant))
    return response


def _auth(tenant: Tenant) -> dict[str, str]:
    """A token for the tenant's session issued now: the clock moves past access tokens' lifetime here."""
    claims = jwt.decode(tenant.token, options={"verify_signature": False})
    return {"Authorization": "Bearer " + issue_access_token(user_id=claims["sub"], tenant_id=claims["tid"],
                                                            session_id=claims["sid"])}


def _mails_to(email: str) -> int:
    return sum(1 for mail in sent_mail() if mail["to"] == email)


def _assert_too_many(response: Response, seconds_at_most: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(response.headers["retry-after"]) <= seconds_at_most


def test_invite_revoke_cycles_mail_an_address_only_a_few_times_a_day(client: TestClient, worker: Worker,
                                                                    tenant_a: Tenant) -> None:
    allowed = settings().invitations_per_address_per_day
    with clock.frozen(clock.now()):
        for _ in range(allowed):
            created = _invite(client, tenant_a, VICTIM)
            assert created.status_code == 201, created.text
            worker.drain()
            assert client.delete(f"{INVITATIONS}/{created.json()['id']}", headers=tenant_a.auth).status_code == 204
        refused = _invite(client, tenant_a, VICTIM.upper())
        worker.drain()
    _assert_too_many(refused, 24 * 3600)
    assert VICTIM in refused.json()["detail"]
    assert _mails_to(VICTIM) == allowed
    assert _invite(client, tenant_a, "someone.else@example.com").status_code == 201


def test_a_tenant_creates_only_so_many_invitations_an_hour(client: TestClient, worker: Worker, tenant_a: Tenant,
                                                           tenant_b: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "invitations_per_hour", 3)
    with clock.frozen(clock.now()) as advance:
        for number in range(3):
            assert _invite(client, tenant_a, f"guest{number}@example.com").status_code == 201
        refused = _invite(client, tenant_a, "guest3@example.com")
        _assert_too_many(refused, 3600)
        assert _invite(client, tenant_b, "guest3@example.com").status_code == 201  # another tenant's own count
        advance(3600)
        assert _invite(client, tenant_a, "guest3@example.com").status_code == 201
    worker.drain()
    assert sum(_mails_to(f"guest{number}@example.com") for number in range(4)) == 5


def test_a_tenant_creates_only_so_many_invitations_a_day(client: TestClient, tenant_a: Tenant,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "invitations_per_day", 2)
    for number in range(2):
        assert _invite(client, tenant_a, f"guest{number}@example.com").status_code == 201
    refused = _invite(client, tenant_a, "guest2@example.com")
    _assert_too_many(refused, 24 * 3600)
    assert "2 invitations a day" in refused.json()["detail"]
