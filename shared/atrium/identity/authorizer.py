"""The authorizer: a bearer credential -> the principal every route receives.

AWS runs ``handler`` as the HTTP API Lambda authorizer (simple responses, cached by the
Authorization header for at most 60 s); the local app runs ``authenticate`` in-process.
"""

from typing import Any

from atrium.access.roles import permissions_for
from atrium.identity.tokens import verify_access_token
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import AUTHORIZER_CONTEXT_KEY
from atrium.kernel.observability import logger
from atrium.kernel.runtime.observed import observed
from atrium.kernel.tenancy import Principal, PrincipalType

# It verifies JWTs with the published signing keys and reads nothing else.
GRANTS = frozenset({Grant.SIGNING_KEYS_READ})


def authenticate(authorization: str | None) -> Principal:
    scheme, _, credential = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("send Authorization: Bearer <access token>")
    claims = verify_access_token(credential.strip())
    roles = tuple(str(role) for role in claims.get("roles", []))
    return Principal(type=PrincipalType.USER, id=str(claims["sub"]), tenant_id=str(claims["tid"]), roles=roles,
                     permissions=permissions_for(roles))


def _decide(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    headers = event.get("headers") or {}
    try:
        principal = authenticate(headers.get("authorization"))
    except Unauthenticated as error:
        logger.info("request not authorized", extra={"reason": error.detail})
        return {"isAuthorized": False}
    return {"isAuthorized": True, "context": {AUTHORIZER_CONTEXT_KEY: principal.model_dump_json()}}


handler = observed("authorizer", "authorizer", _decide)
