"""API token secrets: ``atr_live_<tenant ULID>_<random>``.

The tenant's ULID in the secret lets the authorizer read the secret's item and the tenant in one
BatchGetItem. Only the SHA-256 of a secret is stored (``identity.tokens.token_hash``).
"""

import re
import secrets

PREFIX = "atr_live_"
SHOWN_RANDOM_CHARS = 4
_TENANT_PREFIX = "ten_"
_SECRET = re.compile(r"atr_live_(?P<ulid>[0-9A-HJKMNP-TV-Z]{26})_[A-Za-z0-9_-]{43}")


def mint(tenant_id: str) -> str:
    return f"{PREFIX}{tenant_id.removeprefix(_TENANT_PREFIX)}_{secrets.token_urlsafe(32)}"


def tenant_of(secret: str) -> str | None:
    """The tenant a well-formed secret names, or None for anything else."""
    match = _SECRET.fullmatch(secret)
    return f"{_TENANT_PREFIX}{match['ulid']}" if match else None


def display_prefix(secret: str) -> str:
    """What the API shows of a secret: its kind and tenant, then the last four random characters
    (``atr_live_<ULID>_…Xy9z``), enough to tell a tenant's tokens apart and useless to use."""
    random_part_start = secret.index("_", len(PREFIX)) + 1  # the random part may itself hold "_"
    return f"{secret[:random_part_start]}…{secret[-SHOWN_RANDOM_CHARS:]}"
