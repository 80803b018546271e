"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored only as a hash)."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from atrium.identity import signing_keys
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Unauthenticated

ISSUER = "atrium"
AUDIENCE = "atrium-api"
# Operator tokens: same keys, their own audience, so neither kind of token ever passes for the other.
OPERATOR_AUDIENCE = "atrium-operator"
OPERATOR_TOKEN_TTL_SECONDS = 15 * 60  # no refresh: an operator signs in again
REFRESH_PREFIX = "atr_rt_"
# OpenID Connect's claim for when the user authenticated (RFC 9470 compares it with max_age). Only a step-up token
# carries it: a sign-in's tokens live 15 minutes, too long to count as a recent proof.
AUTH_TIME = "auth_time"
LEEWAY_SECONDS = 5  # clock skew between the issuing and the verifying function


def _sign(claims: dict[str, Any], *, audience: str, ttl_seconds: int) -> str:
    key = signing_keys.signing_key()
    issued = clock.now()
    claims = claims | {"iss": ISSUER, "aud": audience, "iat": issued, "exp": issued + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, key.private_key, algorithm=signing_keys.ALGORITHM, headers={"kid": key.kid})


def _verify(token: str, *, audience: str, required: list[str]) -> dict[str, Any]:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError:
        raise Unauthenticated("the access token is malformed") from None
    key = signing_keys.key_by_id(kid) if isinstance(kid, str) else None
    if key is None:
        raise Unauthenticated("the access token was not signed by a current key")
    try:
        # Times are checked below against the injectable clock, like every other expiry in Atrium.
        claims: dict[str, Any] = jwt.decode(
            token, key.public_key, algorithms=[signing_keys.ALGORITHM], audience=audience, issuer=ISSUER,
            options={"require": ["exp", "iat", *required], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError:
        raise Unauthenticated("the access token is invalid") from None
    now = clock.epoch()
    if not isinstance(claims["exp"], int) or not isinstance(claims["iat"], int):
        raise Unauthenticated("the access token is invalid")
    if now >= claims["exp"] + LEEWAY_SECONDS:
        raise Unauthenticated("the access token has expired")
    if claims["iat"] > now + LEEWAY_SECONDS:
        raise Unauthenticated("the access token is not valid yet")
    return claims


def issue_access_token(*, user_id: str, tenant_id: str, session_id: str) -> str:
    """The token names who and where; what they may do is read live by the authorizer."""
    return _sign({"sub": user_id, "tid": tenant_id, "sid": session_id}, audience=AUDIENCE,
                 ttl_seconds=settings().access_token_ttl_seconds)


def issue_step_up_token(*, user_id: str, tenant_id: str, session_id: str) -> str:
    """An access token of the session stamped with this moment, when the user proved a secret again: it expires
    when the step-up does."""
    return _sign({"sub": user_id, "tid": tenant_id, "sid": session_id, AUTH_TIME: clock.epoch()}, audience=AUDIENCE,
                 ttl_seconds=settings().step_up_seconds)


def verify_access_token(token: str) -> dict[str, Any]:
    return _verify(token, audience=AUDIENCE, required=["sub", "tid", "sid"])


def stepped_up_at(claims: dict[str, Any]) -> datetime | None:
    """When the verified access token's user last proved a secret (``auth_time``), if it says."""
    value = claims.get(AUTH_TIME)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unauthenticated("the access token is invalid")
    return datetime.fromtimestamp(value, UTC)


def issue_operator_token(*, operator_id: str, email: str, roles: list[str]) -> str:
    """``email`` finds the operator item (keyed by it); the roles are informative, the authorizer reads them live."""
    return _sign({"sub": operator_id, "email": email, "roles": roles}, audience=OPERATOR_AUDIENCE,
                 ttl_seconds=OPERATOR_TOKEN_TTL_SECONDS)


def verify_operator_token(token: str) -> dict[str, Any]:
    return _verify(token, audience=OPERATOR_AUDIENCE, required=["sub", "email"])


def is_operator_token(token: str) -> bool:
    """Which verifier a bearer token goes to; unverified, so it decides nothing else."""
    try:
        audience = jwt.decode(token, options={"verify_signature": False}).get("aud")
    except jwt.InvalidTokenError:
        return False
    return bool(audience == OPERATOR_AUDIENCE)


def new_refresh_token() -> str:
    return REFRESH_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
