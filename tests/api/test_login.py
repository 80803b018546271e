"""Sign-in: tokens for one tenant, no hint about which emails exist, lockout with backoff."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from atrium.identity import lockout
from atrium.kernel import clock
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.support.people import add_member, join


def test_login_returns_tokens_that_work(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post("/v1/auth/login", json={"email": tenant_a.email.upper(), "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["refresh_token"].startswith("atr_rt_")
    me = client.get("/v1/tenant", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == tenant_a.id


def test_wrong_password_and_unknown_email_get_the_same_answer(client: TestClient, tenant_a: Tenant) -> None:
    wrong = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": "not the password"})
    unknown = client.post("/v1/auth/login", json={"email": "nobody@example.com", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_a_user_of_several_tenants_must_choose(client: TestClient, tenant_a: Tenant) -> None:
    other = signup(client, "Second")
    joined = add_member(other.id, "viewer")
    join(tenant_a.id, joined, "member")
    response = client.post("/v1/auth/login", json={"email": joined.email, "password": PASSWORD})
    assert response.status_code == 409
    assert {(t["id"], t["name"]) for t in response.json()["tenants"]} == {(other.id, "Second"),
                                                                          (tenant_a.id, "Tenant A")}
    chosen = client.post("/v1/auth/login", json={"email": joined.email, "password": PASSWORD,
                                                 "tenant_id": tenant_a.id})
    assert chosen.status_code == 200
    token = chosen.json()["access_token"]
    assert client.get("/v1/tenant", headers={"Authorization": f"Bearer {token}"}).json()["id"] == tenant_a.id


def test_a_tenant_the_user_is_not_in_is_refused(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    response = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD,
                                                   "tenant_id": tenant_b.id})
    assert response.status_code == 401


def test_lockout_backs_off_exponentially_per_account(client: TestClient, tenant_a: Tenant) -> None:
    start = datetime(2026, 11, 22, 12, tzinfo=UTC)
    with clock.frozen(start) as advance:
        for _ in range(lockout.PAIR.threshold):
            assert client.post("/v1/auth/login", json={"email": tenant_a.email, "password": "wrong"}).status_code == 401
        locked = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD})
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) == lockout.BASE_LOCK_SECONDS + 1
        advance(lockout.BASE_LOCK_SECONDS + 1)
        # One more failure doubles the wait.
        assert client.post("/v1/auth/login", json={"email": tenant_a.email, "password": "wrong"}).status_code == 401
        again = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD})
        assert again.status_code == 429 and int(again.headers["retry-after"]) == 2 * lockout.BASE_LOCK_SECONDS + 1
        advance(2 * lockout.BASE_LOCK_SECONDS + 1)
        assert client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD}).status_code == 200
        # Success cleared the account's count: one wrong password does not lock again.
        assert client.post("/v1/auth/login", json={"email": tenant_a.email, "password": "wrong"}).status_code == 401
        assert client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD}).status_code == 200


def test_unknown_emails_lock_out_the_same_way(client: TestClient) -> None:
    for _ in range(lockout.PAIR.threshold):
        client.post("/v1/auth/login", json={"email": "ghost@example.com", "password": "wrong"})
    assert client.post("/v1/auth/login", json={"email": "ghost@example.com", "password": "x"}).status_code == 429


def test_lock_seconds() -> None:
    assert [lockout.lock_seconds(n, lockout.PAIR) for n in (4, 5, 6, 7)] == [0, 30, 60, 120]
    assert lockout.lock_seconds(50, lockout.PAIR) == lockout.MAX_LOCK_SECONDS
    assert [lockout.lock_seconds(n, lockout.ACCOUNT) for n in (49, 50, 51)] == [0, 30, 60]
