"""The authorizer: a bearer credential -> the principal every route receives.

AWS runs ``handler`` as the HTTP API Lambda authorizer (simple responses, cached by the
Authorization header); the local app runs ``authenticate`` in-process. Access tokens (JWTs)
are verified with the published keys; what the caller may do is read live (``access_state``, and
``operator.access`` for tokens of the operator audience). API tokens (``atr_live_...``) and developer keys
(``atr_dev_...``) are looked up by hash (``access.token_auth``, ``developers.access``).
"""

from typing import Any

from atrium.identity.access.token_auth import api_token_principal
from atrium.identity.access.token_secrets import PREFIX as API_TOKEN_PREFIX
from atrium.identity.access_state import user_principal
from atrium.identity.developers.access import developer_principal
from atrium.identity.developers.key_secrets import PREFIX as DEVELOPER_KEY_PREFIX
from atrium.identity.operator.access import operator_principal
from atrium.identity.tokens import is_operator_token, stepped_up_at, verify_access_token, verify_operator_token
from atrium.kernel.errors import AtriumError, Unauthenticated
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import AUTHORIZER_CONTEXT_KEY
from atrium.kernel.observability import logger
from atrium.kernel.runtime.observed import observed
from atrium.kernel.tenancy import Principal

# TABLE_WRITE: an API token's last use is recorded (at most every 5 minutes per token).
GRANTS = frozenset({Grant.SIGNING_KEYS_READ, Grant.TABLE_READ, Grant.TABLE_WRITE})


def bearer_credential(authorization: str | None) -> str:
    scheme, _, credential = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("send Authorization: Bearer <access token or API token>")
    return credential.strip()


def authenticate(authorization: str | None) -> Principal:
    credential = bearer_credential(authorization)
    if credential.startswith(API_TOKEN_PREFIX):
        return api_token_principal(credential)
    if credential.startswith(DEVELOPER_KEY_PREFIX):  # plugin developers: their own realm, never a tenant's
        return developer_principal(credential)
    if is_operator_token(credential):  # platform staff: the operator realm, never a tenant's user
        operator = verify_operator_token(credential)
        return operator_principal(str(operator["sub"]), str(operator["email"]))
    claims = verify_access_token(credential)
    principal = user_principal(str(claims["tid"]), str(claims["sub"]), str(claims["sid"]))
    # Per token: the live access is cached per session, and a session holds tokens with and without a step-up.
    stepped_up = stepped_up_at(claims)
    return principal if stepped_up is None else principal.model_copy(update={"stepped_up_at": stepped_up})


def _decide(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    headers = event.get("headers") or {}
    try:
        principal = authenticate(headers.get("authorization"))
    except AtriumError as error:
        if not isinstance(error, Unauthenticated) and error.status >= 500:
            raise  # a failing dependency must not be cached as a refusal
        logger.info("request not authorized", extra={"reason": error.detail})
        return {"isAuthorized": False}
    return {"isAuthorized": True, "context": {AUTHORIZER_CONTEXT_KEY: principal.model_dump_json()}}


handler = observed("authorizer", "authorizer", _decide)
