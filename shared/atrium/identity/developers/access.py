"""A developer's API key -> the developer realm's principal: the key's item by the secret's SHA-256, then the
developer (active), both cached in-process for ``access_cache_seconds``, so a revoked key or a disabled developer
stops within that (plus the API Gateway authorizer cache)."""

from atrium.identity.developers.models import ACTIVE, DeveloperItem, DeveloperKeyItem
from atrium.identity.tokens import token_hash
from atrium.kernel.config import settings
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.tenancy import Principal, PrincipalType
from atrium.kernel.ttl_cache import TtlCache

DEVELOPER_PERMISSION = "developer:plugins"
_principals: TtlCache[str, Principal] = TtlCache(settings().access_cache_seconds)


def developer_principal(secret: str) -> Principal:
    digest = token_hash(secret)
    principal = _principals.get(digest)
    if principal is None:
        principal = _load(digest)
        _principals.put(digest, principal)
    return principal


def forget_cached_developers() -> None:
    """Drop every cached answer (tests, and a key revoked in this process)."""
    _principals.clear()


def _load(digest: str) -> Principal:
    key = DeveloperKeyItem.find(digest)
    developer = DeveloperItem.find(key.developer_id) if key else None
    if key is None or developer is None or developer.status != ACTIVE:
        raise Unauthenticated("the developer key is unknown or revoked")
    # Developers belong to no tenant: an empty tenant id, which no tenant-owned key accepts.
    return Principal(type=PrincipalType.DEVELOPER, id=developer.id, tenant_id="", roles=("developer",),
                     permissions=frozenset({DEVELOPER_PERMISSION}), name=developer.name)
