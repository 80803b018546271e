"""Built-in roles and the permissions they carry. A permission is ``resource:action``."""

from collections.abc import Iterable

TENANT_READ = "tenant:read"
TENANT_UPDATE = "tenant:update"

BUILT_IN_ROLES: dict[str, frozenset[str]] = {
    "owner": frozenset({TENANT_READ, TENANT_UPDATE}),
    "admin": frozenset({TENANT_READ, TENANT_UPDATE}),
    "member": frozenset({TENANT_READ}),
    "viewer": frozenset({TENANT_READ}),
    "billing": frozenset({TENANT_READ}),
}


def permissions_for(roles: Iterable[str]) -> frozenset[str]:
    """Unknown roles carry nothing, so a stale or forged role name grants no access."""
    return frozenset().union(*(BUILT_IN_ROLES.get(role, frozenset()) for role in roles))
