"""Email verification: a SELF request, a link minted by the consumer, a public single-use redeem."""


import boto3
from fastapi.testclient import TestClient

from atrium.identity.models import UserItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.worker import Worker
from tests.api.account_helpers import audited, emailed_token, mails_to
from tests.api.conftest import Tenant
from tests.support.people import add_member

REQUEST, VERIFY = "/v1/me/email-verification", "/v1/auth/verify-email"


def _verified(user_id: str) -> bool:
    user = UserItem.find(user_id)
    return user is not None and bool(user.email_verified)


def test_the_link_verifies_the_address_once(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    response = client.post(REQUEST, headers=tenant_a.auth)
    assert response.status_code == 202
    worker.drain()
    token = emailed_token(tenant_a.email, "atr_ver_")
    assert not _verified(tenant_a.user_id)
    assert client.post(VERIFY, json={"token": token}).status_code == 204
    assert _verified(tenant_a.user_id)
    assert client.post(VERIFY, json={"token": token}).status_code == 422
    assert audited("account.email_verified") == [tenant_a.id]
    assert client.post(REQUEST, headers=tenant_a.auth).status_code == 409  # nothing left to verify


def test_the_event_carries_no_secret(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    client.post(REQUEST, headers=tenant_a.auth)
    worker.drain()
    token = emailed_token(tenant_a.email, "atr_ver_")
    items = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    assert token not in str(items)  # not in the event (outbox), nor the audit entry, nor the token item


def test_the_link_expires_after_a_day(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()) as advance:
        client.post(REQUEST, headers=tenant_a.auth)
        worker.drain()
        advance(24 * 3600 + 1)
        assert client.post(VERIFY, json={"token": emailed_token(tenant_a.email, "atr_ver_")}).status_code == 422
    assert not _verified(tenant_a.user_id)


def test_requests_are_throttled(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    assert client.post(REQUEST, headers=tenant_a.auth).status_code == 202
    again = client.post(REQUEST, headers=tenant_a.auth)
    assert again.status_code == 429 and int(again.headers["retry-after"]) <= 60
    worker.drain()
    assert mails_to(tenant_a.email) == 2  # the welcome email and one link


def test_a_reset_token_does_not_verify(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    client.post("/v1/auth/password-reset", json={"email": tenant_a.email})
    worker.drain()
    assert client.post(VERIFY, json={"token": emailed_token(tenant_a.email, "atr_pwr_")}).status_code == 422
    assert not _verified(tenant_a.user_id)


def test_only_the_callers_address_is_verified(client: TestClient, worker: Worker, tenant_a: Tenant,
                                              tenant_b: Tenant) -> None:
    member = add_member(tenant_b.id, "viewer")
    client.post(REQUEST, headers=member.auth)
    worker.drain()
    assert client.post(VERIFY, json={"token": emailed_token(member.email, "atr_ver_")}).status_code == 204
    assert _verified(member.user_id)
    assert not _verified(tenant_a.user_id) and not _verified(tenant_b.user_id)
    assert audited("account.email_verified") == [tenant_b.id]
