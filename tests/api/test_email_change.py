"""Changing the email: a stepped-up request mails a link to the new address and a notice to the current one; the link,
confirmed by the same user signed in, moves the account (pointer, user, every membership's copy) and ends every
other session."""

from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.identity import access_state
from atrium.identity.models import UserEmailItem, UserItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.account_helpers import audited, emailed_token, mails_to
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.support.people import add_member, join
from tests.support.step_up import stepped_up

REQUEST, CONFIRM, LOGIN = "/v1/me/email", "/v1/me/email/confirm", "/v1/auth/login"
NEW = "moved@example.com"


def _request(client: TestClient, auth: dict[str, str], email: str = NEW) -> Any:
    return client.post(REQUEST, json={"email": email}, headers=stepped_up(client, auth))


def _link(client: TestClient, worker: Worker, auth: dict[str, str], email: str = NEW) -> str:
    """Ask for a change to ``email`` and return the token its link carries."""
    response = _request(client, auth, email)
    assert response.status_code == 202, response.text
    worker.drain()
    return emailed_token(email, "atr_eml_")


def _user(user_id: str) -> UserItem:
    user = UserItem.find(user_id, consistent=True)
    assert user is not None
    return user


def _signs_in(client: TestClient, email: str) -> bool:
    status: int = client.post(LOGIN, json={"email": email, "password": PASSWORD}).status_code
    return status == 200


def test_the_link_moves_the_account_and_ends_the_other_sessions(client: TestClient, worker: Worker,
                                                                 tenant_a: Tenant) -> None:
    other_device = add_member(tenant_a.id, "member")
    token = _link(client, worker, other_device.auth)
    (notice,) = [mail for mail in sent_mail() if mail["to"] == other_device.email]
    assert NEW in notice["text"] and "atr_eml_" not in notice["text"]  # the current address is told, sent no link
    assert _user(other_device.user_id).email == other_device.email and _signs_in(client, other_device.email)

    response = client.post(CONFIRM, json={"token": token}, headers=other_device.auth)

    assert response.status_code == 200, response.text
    user = _user(other_device.user_id)
    assert user.email == NEW and user.email_verified
    assert UserEmailItem.find_email(other_device.email) is None
    pointer = UserEmailItem.find_email(NEW)
    assert pointer is not None and pointer.user_id == other_device.user_id
    assert _signs_in(client, NEW) and not _signs_in(client, other_device.email)
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=other_device.auth).status_code == 401  # the old session ended
    assert client.post("/v1/auth/refresh", json={"refresh_token": other_device.refresh_token}).status_code == 401
    new_session = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert client.get("/v1/me", headers=new_session).json()["user"]["email"] == NEW
    assert audited("account.email_change_requested") == audited("account.email_changed") == [tenant_a.id]


def test_every_membership_takes_the_new_address(client: TestClient, worker: Worker, tenant_a: Tenant,
                                                tenant_b: Tenant) -> None:
    member = add_member(tenant_a.id, "admin")
    join(tenant_b.id, member, "viewer")
    token = _link(client, worker, member.auth)
    assert client.post(CONFIRM, json={"token": token}, headers=member.auth).status_code == 200
    worker.drain()
    for owner in (tenant_a, tenant_b):
        listed = client.get(f"/v1/users/{member.user_id}", headers=owner.auth)
        assert listed.status_code == 200 and listed.json()["email"] == NEW
    assert sorted(audited("member.email_changed")) == sorted([tenant_a.id, tenant_b.id])
    owners = {owner.user_id: owner.email for owner in (tenant_a, tenant_b)}
    assert {user_id: _user(user_id).email for user_id in owners} == owners  # nobody else moved


def test_the_link_works_once(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    token = _link(client, worker, tenant_a.auth)
    first = client.post(CONFIRM, json={"token": token}, headers=tenant_a.auth)
    assert first.status_code == 200
    again = client.post(CONFIRM, json={"token": token},
                        headers={"Authorization": f"Bearer {first.json()['access_token']}"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "body.token"


def test_another_user_cannot_use_the_link(client: TestClient, worker: Worker, tenant_a: Tenant,
                                          tenant_b: Tenant) -> None:
    token = _link(client, worker, tenant_a.auth)
    neighbour = add_member(tenant_a.id, "owner")
    for stranger in (tenant_b.auth, neighbour.auth):  # another tenant's owner, a colleague
        assert client.post(CONFIRM, json={"token": token}, headers=stranger).status_code == 422
    assert UserEmailItem.find_email(NEW) is None
    assert _user(tenant_b.user_id).email == tenant_b.email and _user(neighbour.user_id).email == neighbour.email
    assert client.post(CONFIRM, json={"token": token}, headers=tenant_a.auth).status_code == 200  # still unspent


def test_an_address_taken_meanwhile_is_409_and_nothing_moves(client: TestClient, worker: Worker,
                                                             tenant_a: Tenant) -> None:
    token = _link(client, worker, tenant_a.auth)
    signup(client, "Quicker", email=NEW)
    response = client.post(CONFIRM, json={"token": token}, headers=tenant_a.auth)
    assert response.status_code == 409 and response.headers["content-type"] == "application/problem+json"
    assert _user(tenant_a.user_id).email == tenant_a.email and _signs_in(client, tenant_a.email)


def test_an_address_another_account_has_is_409_at_once(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    response = _request(client, tenant_a.auth, tenant_b.email.upper())
    assert response.status_code == 409 and response.headers["content-type"] == "application/problem+json"
    assert not audited("account.email_change_requested")


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "not an address"}, "body.email"),
    ({"email": "a@" + "b" * 250 + ".com"}, "body.email"),
    ({}, "body.email"),
    ({"email": NEW, "also": "x"}, "body.also"),
])
def test_invalid_requests_are_422_and_send_nothing(client: TestClient, worker: Worker, tenant_a: Tenant,
                                                   body: dict[str, Any], field: str) -> None:
    response = client.post(REQUEST, json=body, headers=stepped_up(client, tenant_a.auth))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    worker.drain()
    assert not audited("account.email_change_requested")


def test_the_current_address_is_no_change(client: TestClient, tenant_a: Tenant) -> None:
    response = _request(client, tenant_a.auth, tenant_a.email)
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "same_email"


@pytest.mark.parametrize("token", ["", "x" * 129, "atr_eml_unknown", "atr_ver_" + "a" * 43])
def test_bad_tokens_are_422(client: TestClient, tenant_a: Tenant, token: str) -> None:
    response = client.post(CONFIRM, json={"token": token}, headers=tenant_a.auth)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert _user(tenant_a.user_id).email == tenant_a.email


def test_requests_are_throttled(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    assert _request(client, tenant_a.auth).status_code == 202
    again = _request(client, tenant_a.auth, "other@example.com")
    assert again.status_code == 429 and int(again.headers["retry-after"]) <= 60
    worker.drain()
    assert mails_to(NEW) == 1 and mails_to("other@example.com") == 0


def test_changing_the_password_voids_the_link(client: TestClient, worker: Worker) -> None:
    with clock.frozen(clock.now()) as advance:
        owner = signup(client, "Moving")
        token = _link(client, worker, owner.auth)
        advance(1)
        changed = client.post("/v1/me/password", headers=owner.auth,
                              json={"current_password": PASSWORD, "new_password": "plaid wombat tuesday lantern"})
        auth = {"Authorization": f"Bearer {changed.json()['access_token']}"}
        assert client.post(CONFIRM, json={"token": token}, headers=auth).status_code == 422
    assert _user(owner.user_id).email == owner.email


def test_the_link_expires_after_a_day(client: TestClient, worker: Worker) -> None:
    with clock.frozen(clock.now()) as advance:
        owner = signup(client, "Moving")
        token = _link(client, worker, owner.auth)
        advance(24 * 3600 + 1)
        signed_in = client.post(LOGIN, json={"email": owner.email, "password": PASSWORD})
        auth = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        assert client.post(CONFIRM, json={"token": token}, headers=auth).status_code == 422
    assert _user(owner.user_id).email == owner.email


def test_the_secret_is_stored_only_as_a_hash(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    token = _link(client, worker, tenant_a.auth)
    items = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    assert token not in str(items)  # not in the event (outbox), the audit entry, nor the token item
