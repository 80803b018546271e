"""Emailed single-use tokens: shown once in a link, stored as a SHA-256 hash, expiring.

A token is spent by deleting its item in the transaction that uses it (version-checked), so two
requests with one token cannot both succeed. Expiry is checked on use: TTL deletion is lazy.
"""

import secrets
from dataclasses import dataclass

from atrium.identity.models import OneTimeTokenItem
from atrium.identity.tokens import token_hash
from atrium.kernel import clock
from atrium.kernel.errors import Unprocessable
from atrium.kernel.store.models import expires_in


@dataclass(frozen=True)
class Purpose:
    name: str
    prefix: str
    lifetime_seconds: int


PASSWORD_RESET = Purpose("password_reset", "atr_pwr_", 3600)
EMAIL_VERIFICATION = Purpose("email_verification", "atr_ver_", 24 * 3600)
EMAIL_CHANGE = Purpose("email_change", "atr_eml_", 24 * 3600)


def invalid_token() -> Unprocessable:
    message = "is invalid, used or expired; ask for a new link"
    return Unprocessable(f"the token {message}", errors=[{"field": "body.token", "message": message,
                                                         "code": "invalid_token"}])


def mint(purpose: Purpose, *, user_id: str, email: str,
         previous_email: str | None = None) -> tuple[str, OneTimeTokenItem]:
    """The token to send and its (unsaved) item."""
    token = purpose.prefix + secrets.token_urlsafe(32)
    return token, OneTimeTokenItem(natural_key=token_hash(token), purpose=purpose.name, user_id=user_id, email=email,
                                   previous_email=previous_email, expires_at=expires_in(purpose.lifetime_seconds))


def live(purpose: Purpose, item: OneTimeTokenItem | None) -> OneTimeTokenItem:
    """``item`` if it is a live token of ``purpose``, else ``invalid_token`` (unknown, spent, expired)."""
    if item is None or item.purpose != purpose.name or item.expires_at is None or item.expires_at <= clock.now():
        raise invalid_token()
    return item


def find_live(purpose: Purpose, token: str) -> OneTimeTokenItem:
    """The token's item, or ``invalid_token`` (unknown, spent, expired or for another purpose)."""
    return live(purpose, OneTimeTokenItem.find(token_hash(token)) if token.startswith(purpose.prefix) else None)


def wanted(purpose: Purpose, token: str) -> OneTimeTokenItem:
    """The (unsaved) item ``token`` would have, to read with others in one BatchGetItem; ``invalid_token`` for a
    token of another purpose."""
    if not token.startswith(purpose.prefix):
        raise invalid_token()
    return OneTimeTokenItem(natural_key=token_hash(token))
