"""Refresh rotation with reuse detection and a grace window; logout; listing and revoking sessions."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from atrium.identity.access_state import forget_cached_access
from atrium.identity.sessions import REFRESH_GRACE_SECONDS
from atrium.kernel import clock
from tests.api.conftest import PASSWORD, Tenant


def _login(client: TestClient, tenant: Tenant, user_agent: str = "test") -> dict[str, str]:
    response = client.post("/v1/auth/login", json={"email": tenant.email, "password": PASSWORD},
                           headers={"User-Agent": user_agent})
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def _auth(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_refresh_rotates_and_the_new_pair_works(client: TestClient, tenant_a: Tenant) -> None:
    first = tenant_a.body["refresh_token"]
    response = client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["refresh_token"] != first
    assert client.get("/v1/tenant", headers=_auth(pair)).json()["id"] == tenant_a.id
    assert client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 200


def test_reusing_a_spent_token_revokes_the_whole_family(client: TestClient, tenant_a: Tenant) -> None:
    start = datetime(2026, 11, 22, 12, tzinfo=UTC)
    with clock.frozen(start) as advance:
        tokens = _login(client, tenant_a)
        spent = tokens["refresh_token"]
        successor = client.post("/v1/auth/refresh", json={"refresh_token": spent}).json()
        advance(REFRESH_GRACE_SECONDS + 1)
        reuse = client.post("/v1/auth/refresh", json={"refresh_token": spent})
        assert reuse.status_code == 401 and "revoked" in reuse.json()["detail"]
        # The successor dies with its family, and so do the session's access tokens.
        assert client.post("/v1/auth/refresh", json={"refresh_token": successor["refresh_token"]}).status_code == 401
        forget_cached_access()
        assert client.get("/v1/tenant", headers=_auth(successor)).status_code == 401
    # Other sessions of the same user are untouched.
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200


def test_racing_refreshes_within_the_grace_window_get_the_same_successor(client: TestClient, tenant_a: Tenant) -> None:
    token = _login(client, tenant_a)["refresh_token"]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: client.post("/v1/auth/refresh", json={"refresh_token": token}), range(4)))
    assert [answer.status_code for answer in answers] == [200] * 4
    assert len({answer.json()["refresh_token"] for answer in answers}) == 1


def test_a_spent_token_within_the_grace_window_gets_the_same_successor(client: TestClient,
                                                                        tenant_a: Tenant) -> None:
    token = _login(client, tenant_a)["refresh_token"]
    first = client.post("/v1/auth/refresh", json={"refresh_token": token}).json()
    second = client.post("/v1/auth/refresh", json={"refresh_token": token})
    assert second.status_code == 200 and second.json()["refresh_token"] == first["refresh_token"]


def test_bad_refresh_tokens_are_401(client: TestClient) -> None:
    for token in ("atr_rt_nope", "x"):
        response = client.post("/v1/auth/refresh", json={"refresh_token": token})
        assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"
    assert client.post("/v1/auth/refresh", json={}).status_code == 422


def test_refresh_tokens_expire(client: TestClient, tenant_a: Tenant) -> None:
    with clock.frozen(datetime(2026, 11, 22, 12, tzinfo=UTC)) as advance:
        token = _login(client, tenant_a)["refresh_token"]
        advance(31 * 24 * 3600)
        assert client.post("/v1/auth/refresh", json={"refresh_token": token}).status_code == 401


def test_logout_ends_the_session(client: TestClient, tenant_a: Tenant) -> None:
    tokens = _login(client, tenant_a)
    assert client.post("/v1/auth/logout", headers=_auth(tokens)).status_code == 204
    assert client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    forget_cached_access()
    assert client.get("/v1/tenant", headers=_auth(tokens)).status_code == 401
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200


def test_sessions_are_listed_newest_first_and_can_be_revoked(client: TestClient, tenant_a: Tenant) -> None:
    phone = _login(client, tenant_a, user_agent="phone")
    laptop = _login(client, tenant_a, user_agent="laptop")
    listed = client.get("/v1/sessions", headers=_auth(laptop)).json()["data"]
    assert [s["user_agent"] for s in listed][:2] == ["laptop", "phone"]
    assert [s["current"] for s in listed][:2] == [True, False]
    assert len(listed) == 3  # and the signup's session
    phone_id = listed[1]["id"]
    assert client.delete(f"/v1/sessions/{phone_id}", headers=_auth(laptop)).status_code == 204
    assert client.post("/v1/auth/refresh", json={"refresh_token": phone["refresh_token"]}).status_code == 401
    assert client.delete(f"/v1/sessions/{phone_id}", headers=_auth(laptop)).status_code == 404
    page = client.get("/v1/sessions?limit=1", headers=_auth(laptop)).json()
    assert len(page["data"]) == 1 and page["next_cursor"]
    rest = client.get(f"/v1/sessions?limit=5&cursor={page['next_cursor']}", headers=_auth(laptop)).json()
    assert len(rest["data"]) == 1 and rest["next_cursor"] is None


def test_sessions_of_another_user_or_tenant_are_not_found(client: TestClient, tenant_a: Tenant,
                                                          tenant_b: Tenant) -> None:
    a_sessions = client.get("/v1/sessions", headers=tenant_a.auth).json()["data"]
    b_sessions = client.get("/v1/sessions", headers=tenant_b.auth).json()["data"]
    assert {s["id"] for s in a_sessions}.isdisjoint({s["id"] for s in b_sessions})
    assert client.delete(f"/v1/sessions/{a_sessions[0]['id']}", headers=tenant_b.auth).status_code == 404
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
