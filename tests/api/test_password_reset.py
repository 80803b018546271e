"""Password reset by emailed link: no enumeration, throttled, single use, expiring, sessions end."""


from fastapi.testclient import TestClient
from httpx import Response

from atrium.identity import access_state
from atrium.identity.models import UserEmailItem, UserItem
from atrium.identity.passwords import verify_password
from atrium.kernel import clock
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.account_helpers import audited, emailed_token
from tests.api.conftest import PASSWORD, Tenant
from tests.support.people import add_member

NEW = "plaid wombat tuesday lantern"
REQUEST, CONFIRM = "/v1/auth/password-reset", "/v1/auth/password-reset/confirm"


def _ask(client: TestClient, worker: Worker, email: str) -> Response:
    """Request a reset link; the worker runs the consumer that sends it."""
    response: Response = client.post(REQUEST, json={"email": email})
    worker.drain()
    return response


def _reset_links_to(email: str) -> int:
    """Reset emails only: draining the worker also delivers the welcome emails of signup."""
    return sum(1 for mail in sent_mail() if mail["to"] == email and "#token=atr_pwr_" in mail["text"])


def _password_is(email: str, password: str) -> bool:
    pointer = UserEmailItem.find_email(email)
    user = UserItem.find(pointer.user_id) if pointer else None
    return user is not None and verify_password(user.password_hash, password)


def test_known_and_unknown_emails_get_the_same_answer(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    known = _ask(client, worker, tenant_a.email)
    unknown = _ask(client, worker, "nobody@example.com")
    throttled = _ask(client, worker, tenant_a.email)
    assert known.status_code == unknown.status_code == throttled.status_code == 202
    assert known.json() == unknown.json() == throttled.json()
    assert known.headers.keys() == unknown.headers.keys()
    assert _reset_links_to(tenant_a.email) == 1 and _reset_links_to("nobody@example.com") == 0


def test_one_email_per_address_per_minute(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()) as advance:
        for _ in range(3):
            _ask(client, worker, tenant_a.email)
        assert _reset_links_to(tenant_a.email) == 1
        advance(61)
        _ask(client, worker, tenant_a.email.upper())
        assert _reset_links_to(tenant_a.email) == 2


def test_the_link_sets_the_password_once_and_ends_sessions(client: TestClient, worker: Worker,
                                                           tenant_a: Tenant) -> None:
    _ask(client, worker, tenant_a.email)
    token = emailed_token(tenant_a.email, "atr_pwr_")
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
    assert client.post(CONFIRM, json={"token": token, "password": NEW}).status_code == 204
    assert _password_is(tenant_a.email, NEW) and not _password_is(tenant_a.email, PASSWORD)
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 401
    again = client.post(CONFIRM, json={"token": token, "password": "other " + NEW})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "body.token"
    assert _password_is(tenant_a.email, NEW)
    assert audited("account.password_reset_requested") == audited("account.password_reset") == [tenant_a.id]


def test_the_link_expires_after_an_hour(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()) as advance:
        _ask(client, worker, tenant_a.email)
        advance(3601)
        response = client.post(CONFIRM, json={"token": emailed_token(tenant_a.email, "atr_pwr_"), "password": NEW})
    assert response.status_code == 422
    assert _password_is(tenant_a.email, PASSWORD)


def test_an_older_link_dies_with_a_password_change(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()) as advance:
        _ask(client, worker, tenant_a.email)
        first = emailed_token(tenant_a.email, "atr_pwr_")
        advance(61)
        _ask(client, worker, tenant_a.email)
        second = emailed_token(tenant_a.email, "atr_pwr_")
        advance(1)
        assert client.post(CONFIRM, json={"token": second, "password": NEW}).status_code == 204
        assert client.post(CONFIRM, json={"token": first, "password": "other " + NEW}).status_code == 422
    assert _password_is(tenant_a.email, NEW)


def test_a_weak_password_is_refused_and_the_link_still_works(client: TestClient, worker: Worker,
                                                             tenant_a: Tenant) -> None:
    _ask(client, worker, tenant_a.email)
    token = emailed_token(tenant_a.email, "atr_pwr_")
    weak = client.post(CONFIRM, json={"token": token, "password": "password1234"})
    assert weak.status_code == 422 and {e["field"] for e in weak.json()["errors"]} == {"body.password"}
    assert client.post(CONFIRM, json={"token": token, "password": NEW}).status_code == 204


def test_forged_and_foreign_tokens_are_refused(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    assert client.post("/v1/me/email-verification", headers=tenant_a.auth).status_code == 202
    worker.drain()
    verification = emailed_token(tenant_a.email, "atr_ver_")
    for token in ("atr_pwr_forged", "garbage", verification, verification.replace("atr_ver_", "atr_pwr_")):
        assert client.post(CONFIRM, json={"token": token, "password": NEW}).status_code == 422


def test_a_reset_touches_only_its_user(client: TestClient, worker: Worker, tenant_a: Tenant, tenant_b: Tenant) -> None:
    member = add_member(tenant_b.id, "member")
    _ask(client, worker, member.email)
    assert client.post(CONFIRM, json={"token": emailed_token(member.email, "atr_pwr_"),
                                      "password": NEW}).status_code == 204
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
    assert client.get("/v1/tenant", headers=tenant_b.auth).status_code == 200
    assert client.get("/v1/tenant", headers=member.auth).status_code == 401
    assert audited("account.password_reset") == [tenant_b.id]
