"""TOTP MFA: enrolment, codes accepted once, recovery codes, the sign-in challenge and its attempt limit. Enrolling,
disabling and replacing recovery codes need a step-up first (tests/security/test_step_up.py)."""


import pyotp
from fastapi.testclient import TestClient

from atrium.identity import access_state, lockout
from atrium.identity.mfa_challenge import start_mfa_challenge
from atrium.identity.models import TenantItem, UserItem
from atrium.kernel import clock
from atrium.kernel.tenancy import tenant_scope
from tests.api.account_helpers import audited, code_at, enable_mfa, next_code
from tests.api.conftest import PASSWORD, Tenant
from tests.support.people import add_member
from tests.support.step_up import stepped_up

TOTP, CONFIRM, CODES, LOGIN = "/v1/me/mfa/totp", "/v1/me/mfa/totp/confirm", "/v1/me/mfa/recovery-codes", "/v1/auth/mfa"


def _user(user_id: str) -> UserItem:
    user = UserItem.find(user_id)
    assert user is not None
    return user


def test_enrolment_gives_a_secret_for_the_app(client: TestClient, tenant_a: Tenant) -> None:
    auth = stepped_up(client, tenant_a.auth)
    response = client.post(TOTP, headers=auth)
    assert response.status_code == 200
    body = response.json()
    parsed = pyotp.parse_uri(body["otpauth_uri"])
    assert parsed.secret == body["secret"] and parsed.name == tenant_a.email and parsed.issuer == "Atrium"
    assert not _user(tenant_a.user_id).mfa_enabled  # pending until confirmed


def test_confirming_enables_mfa_and_returns_ten_hashed_recovery_codes(client: TestClient, tenant_a: Tenant) -> None:
    auth = stepped_up(client, tenant_a.auth)
    secret = client.post(TOTP, headers=auth).json()["secret"]
    wrong = client.post(CONFIRM, json={"code": "000000" if code_at(secret) != "000000" else "111111"}, headers=auth)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "body.code"
    response = client.post(CONFIRM, json={"code": code_at(secret)}, headers=auth)
    assert response.status_code == 200
    codes = response.json()["recovery_codes"]
    user = _user(tenant_a.user_id)
    assert user.mfa_enabled and len(codes) == len(set(codes)) == 10
    assert len(user.recovery_code_hashes) == 10 and not set(codes) & set(user.recovery_code_hashes)
    assert client.post(TOTP, headers=auth).status_code == 409  # on: no second enrolment
    assert audited("account.mfa_enabled") == [tenant_a.id]


def test_a_code_is_accepted_once(client: TestClient, tenant_a: Tenant) -> None:
    auth = stepped_up(client, tenant_a.auth)
    with clock.frozen(clock.now()):
        secret, _ = enable_mfa(client, auth)
        used = code_at(secret)  # spent by the confirmation
        assert client.post(CODES, json={"code": used}, headers=auth).status_code == 422
        assert client.post(CODES, json={"code": next_code(secret)}, headers=auth).status_code == 200
        assert client.post(CODES, json={"code": next_code(secret)}, headers=auth).status_code == 422


def test_recovery_codes_work_once_and_regenerating_replaces_them(client: TestClient, tenant_a: Tenant) -> None:
    auth = stepped_up(client, tenant_a.auth)
    _, codes = enable_mfa(client, auth)
    fresh = client.post(CODES, json={"code": codes[0].upper().replace("-", " ")}, headers=auth)
    assert fresh.status_code == 200
    assert client.post(CODES, json={"code": codes[0]}, headers=auth).status_code == 422  # spent
    assert client.post(CODES, json={"code": codes[1]}, headers=auth).status_code == 422  # replaced
    assert client.post(CODES, json={"code": fresh.json()["recovery_codes"][0]}, headers=auth).is_success


def test_disabling_needs_a_code_and_clears_the_factor(client: TestClient, tenant_a: Tenant) -> None:
    auth = stepped_up(client, tenant_a.auth)
    _, codes = enable_mfa(client, auth)
    wrong = client.request("DELETE", TOTP, json={"code": "abcd-efgh-jkmn-pqrs"}, headers=auth)
    assert wrong.status_code == 422
    assert _user(tenant_a.user_id).mfa_enabled
    assert client.request("DELETE", TOTP, json={"code": codes[0]}, headers=auth).status_code == 204
    user = _user(tenant_a.user_id)
    assert not user.mfa_enabled and user.totp_secret is None and not user.recovery_code_hashes
    assert client.request("DELETE", TOTP, json={"code": codes[1]}, headers=auth).status_code == 409


def test_wrong_codes_on_mfa_settings_lock_the_user_out(client: TestClient, tenant_a: Tenant) -> None:
    auth = stepped_up(client, tenant_a.auth)
    _, codes = enable_mfa(client, auth)
    with clock.frozen(clock.now()) as advance:
        for _ in range(lockout.SIGNED_IN.threshold):
            wrong = client.request("DELETE", TOTP, json={"code": "abcd-efgh-jkmn-pqrs"}, headers=auth)
            assert wrong.status_code == 422
        locked = client.post(CODES, json={"code": codes[0]}, headers=auth)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) == lockout.BASE_LOCK_SECONDS + 1
        assert _user(tenant_a.user_id).mfa_enabled
        advance(lockout.BASE_LOCK_SECONDS + 1)
        assert client.request("DELETE", TOTP, json={"code": codes[0]}, headers=auth).status_code == 204


def test_mfa_sign_in_with_a_totp_code(client: TestClient, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()):
        secret, _ = enable_mfa(client, tenant_a.auth)
        token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
        response = client.post(LOGIN, json={"mfa_token": token, "code": next_code(secret)})
        assert response.status_code == 200
        auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
        assert client.get("/v1/tenant", headers=auth).json()["id"] == tenant_a.id
        # The challenge is spent, and so is the code.
        assert client.post(LOGIN, json={"mfa_token": token, "code": next_code(secret)}).status_code == 401
        again = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
        assert client.post(LOGIN, json={"mfa_token": again, "code": next_code(secret)}).status_code == 401
    assert audited("session.started") == [tenant_a.id]


def test_login_asks_for_the_second_factor(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    first = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD})
    assert first.status_code == 200 and first.json()["mfa_required"] is True
    second = client.post(LOGIN, json={"mfa_token": first.json()["mfa_token"], "code": codes[0]})
    assert second.status_code == 200
    auth = {"Authorization": f"Bearer {second.json()['access_token']}"}
    assert client.get("/v1/tenant", headers=auth).json()["id"] == tenant_a.id


def test_mfa_sign_in_with_a_recovery_code_spends_it(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
    assert client.post(LOGIN, json={"mfa_token": token, "code": codes[3]}).status_code == 200
    again = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
    assert client.post(LOGIN, json={"mfa_token": again, "code": codes[3]}).status_code == 401
    assert len(_user(tenant_a.user_id).recovery_code_hashes) == 9


def test_five_wrong_codes_end_the_challenge_and_lock_mfa_for_a_while(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    with clock.frozen(clock.now()) as advance:
        token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
        for attempt in range(5):
            response = client.post(LOGIN, json={"mfa_token": token, "code": f"wrong-code-{attempt}"})
            assert response.status_code == 401
        assert client.post(LOGIN, json={"mfa_token": token, "code": codes[0]}).status_code == 401
        fresh = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
        locked = client.post(LOGIN, json={"mfa_token": fresh, "code": codes[0]})
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) == lockout.BASE_LOCK_SECONDS + 1
        advance(lockout.BASE_LOCK_SECONDS + 1)
        assert client.post(LOGIN, json={"mfa_token": fresh, "code": codes[0]}).status_code == 200


def test_four_wrong_codes_leave_one_try(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
    for attempt in range(4):
        assert client.post(LOGIN, json={"mfa_token": token, "code": f"wrong-code-{attempt}"}).status_code == 401
    assert client.post(LOGIN, json={"mfa_token": token, "code": codes[0]}).status_code == 200


def test_an_expired_challenge_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    with clock.frozen(clock.now()) as advance:
        token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
        advance(301)
        assert client.post(LOGIN, json={"mfa_token": token, "code": codes[0]}).status_code == 401
    assert len(_user(tenant_a.user_id).recovery_code_hashes) == 10


def test_a_suspended_tenant_gets_no_tokens(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
    with tenant_scope(tenant_a.id):
        tenant = TenantItem.load(tenant_a.id, tenant_a.id)
        tenant.status = "suspended"
        tenant.save()
    assert client.post(LOGIN, json={"mfa_token": token, "code": codes[0]}).status_code == 403


def test_forged_challenges_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    for token in ("atr_mfa_forged", "garbage"):
        assert client.post(LOGIN, json={"mfa_token": token, "code": codes[0]}).status_code == 401


def test_mfa_settings_act_only_on_the_caller(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    member = add_member(tenant_b.id, "viewer")
    enable_mfa(client, member.auth)
    assert _user(member.user_id).mfa_enabled
    assert not _user(tenant_a.user_id).mfa_enabled and not _user(tenant_b.user_id).mfa_enabled
    assert audited("account.mfa_enabled") == [tenant_b.id]


def test_a_challenge_opens_a_session_only_in_its_tenant(client: TestClient, tenant_a: Tenant,
                                                        tenant_b: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
    response = client.post(LOGIN, json={"mfa_token": token, "code": codes[0]})
    access_state.forget_cached_access()
    auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert client.get("/v1/tenant", headers=auth).json()["id"] == tenant_a.id != tenant_b.id
