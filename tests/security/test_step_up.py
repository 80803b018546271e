"""Step-up ("sudo mode"): a signed-in user confirms their password or an MFA code again and gets a short-lived access
token of the same session, stamped with that moment, for the routes declared ``step_up``."""

from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from atrium.identity import lockout
from atrium.identity.access_state import forget_cached_access
from atrium.identity.models import UserItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from tests.api.account_helpers import audited, enable_mfa, next_code
from tests.api.conftest import PASSWORD, Tenant
from tests.support.people import add_member
from tests.support.step_up import STEP_UP, stepped_up

LIFETIME = settings().step_up_seconds
TOTP, CODES = "/v1/me/mfa/totp", "/v1/me/mfa/recovery-codes"
TOKENS = "/v1/api-tokens"


def test_wrong_step_up_secrets_count_toward_the_users_lockout(client: TestClient, tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    with clock.frozen(clock.now()) as advance:
        stepped_up_before = stepped_up(client, tenant_a.auth)
        for wrong in ({"password": "not it"}, {"code": "abcd-efgh-jkmn-pqrs"}, {"password": "no"},
                      {"code": "zzzz-zzzz-zzzz-zzzz"}, {"password": PASSWORD.upper()}):
            response = client.post(STEP_UP, json=wrong, headers=tenant_a.auth)
            assert response.status_code == 422 and response.json()["errors"][0]["field"] == f"body.{next(iter(wrong))}"
        locked = client.post(STEP_UP, json={"password": PASSWORD}, headers=tenant_a.auth)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) == lockout.BASE_LOCK_SECONDS + 1
        # One count for every secret a signed-in user proves: the other such routes wait too.
        assert client.post(CODES, json={"code": codes[0]}, headers=stepped_up_before).status_code == 429
        advance(lockout.BASE_LOCK_SECONDS + 1)
        assert client.post(STEP_UP, json={"password": PASSWORD}, headers=tenant_a.auth).status_code == 200


def test_the_step_up_token_is_the_same_session_stamped_and_audited(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post(STEP_UP, json={"password": PASSWORD}, headers=tenant_a.auth)
    assert response.status_code == 200 and response.json()["expires_in"] == LIFETIME
    assert response.json()["token_type"] == "Bearer" and "refresh_token" not in response.json()
    plain = jwt.decode(tenant_a.token, options={"verify_signature": False})
    stamped = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert {k: stamped[k] for k in ("sub", "tid", "sid")} == {k: plain[k] for k in ("sub", "tid", "sid")}
    assert "auth_time" not in plain and stamped["exp"] - stamped["iat"] == LIFETIME
    assert stamped["iat"] - LIFETIME <= stamped["auth_time"] <= stamped["iat"]
    assert audited("account.stepped_up") == [tenant_a.id]


def test_a_user_with_mfa_steps_up_with_either_factor(client: TestClient, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()):
        secret, codes = enable_mfa(client, tenant_a.auth)
        for proof in ({"code": next_code(secret)}, {"code": codes[1]}, {"password": PASSWORD}):
            response = client.post(STEP_UP, json=proof, headers=tenant_a.auth)
            assert response.status_code == 200, (proof, response.text)
        # Each code works once: the TOTP step is used, the recovery code spent.
        for proof in ({"code": next_code(secret)}, {"code": codes[1]}):
            assert client.post(STEP_UP, json=proof, headers=tenant_a.auth).status_code == 422
    user = UserItem.find(tenant_a.user_id)
    assert user is not None and len(user.recovery_code_hashes) == 9


def test_a_code_proves_nothing_while_mfa_is_off(client: TestClient, tenant_a: Tenant) -> None:
    pending = client.post(TOTP, headers=stepped_up(client, tenant_a.auth)).json()["secret"]
    refused = client.post(STEP_UP, json={"code": next_code(pending)}, headers=tenant_a.auth)
    assert refused.status_code == 409  # an enrolment not yet confirmed is no second factor


@pytest.mark.parametrize("body", [{}, {"password": PASSWORD, "code": "123456"}, {"password": ""},
                                  {"code": "12"}, {"password": PASSWORD, "extra": 1}, {"password": None}])
def test_a_step_up_takes_exactly_one_valid_secret(client: TestClient, tenant_a: Tenant, body: dict[str, Any]) -> None:
    response = client.post(STEP_UP, json=body, headers=tenant_a.auth)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"


def test_a_step_up_ends_with_its_session(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "admin")
    stamped = stepped_up(client, member.auth)
    assert client.post("/v1/auth/logout", headers=member.auth).status_code == 204
    forget_cached_access()
    assert client.post(TOKENS, json={"name": "ci", "scopes": ["tenant:read"]}, headers=stamped).status_code == 401
