"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored only as a hash)."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import jwt

from atrium.identity import signing_keys
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Unauthenticated

ISSUER = "atrium"
AUDIENCE = "atrium-api"
REFRESH_PREFIX = "atr_rt_"
LEEWAY_SECONDS = 5  # clock skew between the issuing and the verifying function


def issue_access_token(*, user_id: str, tenant_id: str, session_id: str) -> str:
    """The token names who and where; what they may do is read live by the authorizer."""
    key = signing_keys.signing_key()
    issued = clock.now()
    claims = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": user_id, "tid": tenant_id, "sid": session_id,
        "iat": issued, "exp": issued + timedelta(seconds=settings().access_token_ttl_seconds),
    }
    return jwt.encode(claims, key.private_key, algorithm=signing_keys.ALGORITHM, headers={"kid": key.kid})


def verify_access_token(token: str) -> dict[str, Any]:
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
            token, key.public_key, algorithms=[signing_keys.ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "tid", "sid"], "verify_exp": False, "verify_iat": False},
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


def new_refresh_token() -> str:
    return REFRESH_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
