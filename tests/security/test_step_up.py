"""Step-up ("sudo mode"): enrolling or disabling MFA, new recovery codes, creating or rotating API tokens, reading or
rotating webhook secrets, changing the email and the Stripe account customers pay into need a password or MFA code
confirmed within the last 5 minutes, carried by a short-lived access token. A stolen access token alone binds no
authenticator."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.billing.payments.schemas import EXAMPLE_ACCOUNT
from atrium.identity import lockout
from atrium.identity.access_state import forget_cached_access
from atrium.identity.models import UserItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.http.step_up import API_TOKEN_REFUSAL
from atrium.kernel.permissions import OWNERS_ONLY
from atrium_local.devserver import local_app
from tests.api.account_helpers import audited, enable_mfa, next_code
from tests.api.conftest import PASSWORD, Tenant
from tests.support.people import add_member
from tests.support.step_up import STEP_UP, stepped_up
from tests.support.table_items import items_but_rate_windows

LIFETIME = settings().step_up_seconds
CHALLENGE = f'Bearer error="insufficient_user_authentication", max_age={LIFETIME}'
TOTP, CODES = "/v1/me/mfa/totp", "/v1/me/mfa/recovery-codes"
ENDPOINTS, TOKENS = "/v1/webhook-endpoints", "/v1/api-tokens"
DELETION = "/v1/tenant/deletion"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None = None
    succeeds_with: int = 200


def _created(client: TestClient, owner: Tenant, path: str, body: dict[str, Any]) -> str:
    response = client.post(path, json=body, headers=stepped_up(client, owner.auth))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _token(client: TestClient, owner: Tenant) -> str:
    return _created(client, owner, TOKENS, {"name": "ci", "scopes": ["tenant:read"]})


def _endpoint(client: TestClient, owner: Tenant) -> str:
    return _created(client, owner, ENDPOINTS, {"url": "https://example.com/hooks"})


def _cancellation(client: TestClient, owner: Tenant) -> Call:
    """Cancelling the deletion the owner has just asked for."""
    response = client.post(DELETION, json={}, headers=stepped_up(client, owner.auth))
    assert response.status_code == 202, response.text
    return Call("DELETE", DELETION)


def _recovery_code(client: TestClient, owner: Tenant) -> dict[str, str]:
    return {"code": enable_mfa(client, owner.auth)[1][0]}


# Each route declared ``step_up``, set up in the owner's tenant so that a stepped-up owner succeeds.
SENSITIVE: dict[str, Callable[[TestClient, Tenant], Call]] = {
    "account.start_totp_enrolment": lambda client, owner: Call("POST", TOTP),
    "account.disable_totp": lambda client, owner: Call("DELETE", TOTP, _recovery_code(client, owner), 204),
    "account.regenerate_recovery_codes": lambda client, owner: Call("POST", CODES, _recovery_code(client, owner)),
    "account.request_email_change": lambda client, owner: Call("POST", "/v1/me/email", {"email": "moved@example.com"},
                                                               202),
    "access.create_api_token": lambda client, owner: Call("POST", TOKENS, {"name": "ci", "scopes": ["tenant:read"]},
                                                          201),
    "access.rotate_api_token": lambda client, owner: Call("POST", f"{TOKENS}/{_token(client, owner)}/rotate"),
    "webhooks.get_webhook_endpoint_secret": lambda client, owner: Call(
        "GET", f"{ENDPOINTS}/{_endpoint(client, owner)}/secret"),
    "webhooks.rotate_webhook_endpoint_secret": lambda client, owner: Call(
        "POST", f"{ENDPOINTS}/{_endpoint(client, owner)}/rotate-secret"),
    "billing.set_payment_account": lambda client, owner: Call("PUT", "/v1/billing/payment-account",
                                                              {"stripe_account_id": EXAMPLE_ACCOUNT}),
    "offboarding.request_deletion": lambda client, owner: Call("POST", DELETION, {}, 202),
    "offboarding.cancel_deletion": lambda client, owner: _cancellation(client, owner),
}
# Those a tenant's API token could otherwise call: the others are a user's own account, which tokens never reach, or
# need a permission no token is given (the owners' own).
TOKEN_REACHABLE = sorted(op for op in SENSITIVE
                         if not manifest.route(op).is_self_service and manifest.route(op).permission not in OWNERS_ONLY)


def _send(client: TestClient, call: Call, auth: dict[str, str]) -> Any:
    return client.request(call.method, call.path, json=call.body, headers=auth)


def _items() -> list[dict[str, Any]]:
    return items_but_rate_windows()


def _assert_asked_to_step_up(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("step-up-required")
    assert response.headers["www-authenticate"] == CHALLENGE


def test_the_sensitive_routes_are_those_declared_step_up() -> None:
    assert {spec.operation_id for spec in manifest.routes() if spec.step_up} == set(SENSITIVE)
    operations = [operation for path in local_app().openapi()["paths"].values() for operation in path.values()]
    documented = {op["operationId"] for op in operations if op.get("x-atrium-step-up")}
    assert documented == set(SENSITIVE)
    for operation in operations:
        if operation["operationId"] in SENSITIVE:
            assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]


@pytest.mark.parametrize("operation_id", sorted(SENSITIVE))
def test_a_plain_access_token_is_asked_to_step_up_and_nothing_happens(client: TestClient, tenant_a: Tenant,
                                                                       operation_id: str) -> None:
    call = SENSITIVE[operation_id](client, tenant_a)
    before = _items()
    _assert_asked_to_step_up(_send(client, call, tenant_a.auth))
    assert _items() == before


@pytest.mark.parametrize("operation_id", TOKEN_REACHABLE)
def test_an_api_token_cannot_step_up_and_is_refused(client: TestClient, tenant_a: Tenant, operation_id: str) -> None:
    call = SENSITIVE[operation_id](client, tenant_a)
    scopes = sorted({manifest.route(operation_id).permission, "tenant:read"})
    secret = client.post(TOKENS, json={"name": "automation", "scopes": scopes},
                         headers=stepped_up(client, tenant_a.auth)).json()["secret"]
    token = {"Authorization": f"Bearer {secret}"}
    response = _send(client, call, token)
    assert response.status_code == 403 and response.json()["detail"] == API_TOKEN_REFUSAL
    assert client.post(STEP_UP, json={"password": PASSWORD}, headers=token).status_code == 403


@pytest.mark.parametrize("operation_id", sorted(SENSITIVE))
def test_a_step_up_lasts_five_minutes(client: TestClient, tenant_a: Tenant, operation_id: str) -> None:
    with clock.frozen(clock.now()) as advance:
        call = SENSITIVE[operation_id](client, tenant_a)
        stale = stepped_up(client, tenant_a.auth)
        advance(LIFETIME + 1)
        _assert_asked_to_step_up(_send(client, call, stale))
        fresh = stepped_up(client, tenant_a.auth)
        advance(LIFETIME)
        response = _send(client, call, fresh)
        assert response.status_code == call.succeeds_with, response.text


def test_a_stolen_access_token_cannot_bind_an_authenticator(client: TestClient, tenant_a: Tenant) -> None:
    stolen = tenant_a.auth
    _assert_asked_to_step_up(client.post(TOTP, headers=stolen))
    assert client.post(f"{TOTP}/confirm", json={"code": "123456"}, headers=stolen).status_code == 409  # none pending
    guesses = [client.post(STEP_UP, json={"password": f"guess {n}"}, headers=stolen).status_code for n in range(8)]
    assert guesses == [422] * lockout.SIGNED_IN.threshold + [429] * (8 - lockout.SIGNED_IN.threshold)
    _assert_asked_to_step_up(client.post(TOTP, headers=stolen))
    user = UserItem.find(tenant_a.user_id)
    assert user is not None and user.totp_secret is None and not user.mfa_enabled


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


def test_the_step_up_is_the_tokens_not_its_sessions(client: TestClient, tenant_a: Tenant) -> None:
    """The authorizer caches a session's live access; a plain token of the same session stays plain."""
    stamped = stepped_up(client, tenant_a.auth)
    assert client.post(TOTP, headers=stamped).status_code == 200
    _assert_asked_to_step_up(client.post(TOTP, headers=tenant_a.auth))
    assert client.post(TOTP, headers=stamped).status_code == 200


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
