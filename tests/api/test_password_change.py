"""POST /v1/me/password: verify, check strength, set, end every session, open a new one."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from atrium.identity import access_state, lockout
from atrium.kernel import clock
from tests.api.account_helpers import audited
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.support.people import add_member

NEW = "plaid wombat tuesday lantern"
PATH = "/v1/me/password"


def test_a_change_returns_working_tokens_and_is_audited(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW}, headers=tenant_a.auth)
    assert response.status_code == 200, response.text
    new_auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=new_auth).status_code == 200
    assert audited("account.password_changed") == [tenant_a.id]


def test_old_sessions_die_everywhere(client: TestClient, tenant_a: Tenant) -> None:
    other_device = add_member(tenant_a.id, "member")
    assert client.get("/v1/tenant", headers=other_device.auth).status_code == 200  # cached as alive
    response = client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW},
                           headers=other_device.auth)
    assert response.status_code == 200
    assert client.get("/v1/tenant", headers=other_device.auth).status_code == 200  # the cache, for up to 30 s
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=other_device.auth).status_code == 401
    refused = client.post("/v1/auth/refresh", json={"refresh_token": other_device.refresh_token})
    assert refused.status_code == 401
    renewed = client.post("/v1/auth/refresh", json={"refresh_token": response.json()["refresh_token"]})
    assert renewed.status_code == 200


def test_the_new_password_is_the_one_that_works(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW}, headers=tenant_a.auth)
    auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
    again = client.post(PATH, json={"current_password": PASSWORD, "new_password": "other " + NEW}, headers=auth)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "body.current_password"
    assert client.post(PATH, json={"current_password": NEW, "new_password": "other " + NEW},
                       headers=auth).status_code == 200


@pytest.mark.parametrize(("current", "new", "field"), [
    ("wrong password here", NEW, "body.current_password"),
    (PASSWORD, PASSWORD, "body.new_password"),
    (PASSWORD, "password1234", "body.new_password"),
    (PASSWORD, "short", "body.new_password"),
])
def test_refusals_are_field_errors_and_change_nothing(client: TestClient, tenant_a: Tenant, current: str, new: str,
                                                      field: str) -> None:
    response = client.post(PATH, json={"current_password": current, "new_password": new}, headers=tenant_a.auth)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {field}
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200


def test_a_weak_password_gets_zxcvbn_feedback(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post(PATH, json={"current_password": PASSWORD, "new_password": "password1234"},
                           headers=tenant_a.auth)
    assert "This is a very common password." in [e["message"] for e in response.json()["errors"]]


def test_only_the_caller_changes_not_another_tenants_user(client: TestClient, tenant_a: Tenant,
                                                          tenant_b: Tenant) -> None:
    assert client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW},
                       headers=tenant_b.auth).status_code == 200
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
    assert client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW},
                       headers=tenant_a.auth).status_code == 200  # A's password was untouched


def test_anonymous_callers_are_refused(client: TestClient) -> None:
    assert client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW}).status_code == 401


def test_signup_checks_the_tenant_name_too(client: TestClient) -> None:
    response = client.post("/v1/signup", json={"tenant_name": "Zephyr Quill", "email": "ada@example.com",
                                               "password": "zephyrquill"})
    assert response.status_code == 422
    elsewhere = client.post("/v1/signup", json={"tenant_name": "Acme", "email": "ada@example.com",
                                                "password": "zephyrquill"})
    assert elsewhere.status_code == 201


def test_the_new_password_is_checked_against_the_tenant_name(client: TestClient) -> None:
    tenant = signup(client, "Zephyr Quill")
    response = client.post(PATH, json={"current_password": PASSWORD, "new_password": "zephyrquill"},
                           headers=tenant.auth)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.new_password"


def test_wrong_current_passwords_lock_the_user_out_then_a_right_one_clears(client: TestClient,
                                                                           tenant_a: Tenant) -> None:
    wrong = {"current_password": "wrong password here", "new_password": NEW}
    with clock.frozen(datetime.now(UTC)) as advance:
        for _ in range(lockout.SIGNED_IN.threshold):
            assert client.post(PATH, json=wrong, headers=tenant_a.auth).status_code == 422
        locked = client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW}, headers=tenant_a.auth)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) == lockout.BASE_LOCK_SECONDS + 1
        # Only this user is locked: sign-in with the password still works.
        assert client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD}).status_code == 200
        advance(lockout.BASE_LOCK_SECONDS + 1)
        response = client.post(PATH, json={"current_password": PASSWORD, "new_password": NEW}, headers=tenant_a.auth)
        assert response.status_code == 200
        auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
        # The success cleared the count: one more wrong password is a 422, not a lock.
        assert client.post(PATH, json=wrong, headers=auth).status_code == 422
        assert client.post(PATH, json={"current_password": NEW, "new_password": "other " + NEW},
                           headers=auth).status_code == 200
