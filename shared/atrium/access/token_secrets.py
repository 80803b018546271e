"""API token secrets: ``atr_live_<tenant ULID>_<random>``.

The tenant's ULID in the secret lets the authorizer read the secret's item and the tenant in one
BatchGetItem. Only the SHA-256 of a secret is stored (``identity.tokens.token_hash``).
"""

import re
import secrets

PREFIX = "atr_live_"
DISPLAY_CHARS = 16  # what the API shows of a secret: enough to recognise it, useless to use it
_TENANT_PREFIX = "ten_"
_SECRET = re.compile(r"atr_live_(?P<ulid>[0-9A-HJKMNP-TV-Z]{26})_[A-Za-z0-9_-]{43}")


def mint(tenant_id: str) -> str:
    return f"{PREFIX}{tenant_id.removeprefix(_TENANT_PREFIX)}_{secrets.token_urlsafe(32)}"


def tenant_of(secret: str) -> str | None:
    """The tenant a well-formed secret names, or None for anything else."""
    match = _SECRET.fullmatch(secret)
    return f"{_TENANT_PREFIX}{match['ulid']}" if match else None


def display_prefix(secret: str) -> str:
    return secret[:DISPLAY_CHARS]
