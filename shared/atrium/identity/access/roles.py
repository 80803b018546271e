"""Built-in roles and how a principal's roles become permission patterns.

A permission is ``resource:action`` (see ``atrium.kernel.permissions``). Built-in roles hold
patterns, so a new route's permission reaches owners and admins without editing this file; what
the other built-in roles hold of an app, the app declares in its own ``roles.py`` (``ROLE_GRANTS``).
Custom roles (per tenant) hold concrete permissions from the catalog.

A role an app declares in ``ROLE_SCOPES`` is scoped: each grant of it names one record of the app (an id with the
declared prefix), and the member holding it sees only what that record owns (a customer user: one customer's
records). The app enforces the confinement; the platform validates the grant and carries its scope to the
principal.
"""

from collections.abc import Iterable, Mapping

from atrium import manifest
from atrium.kernel.permissions import OWNERS_ONLY, TENANT_READ

OWNER = "owner"
ADMIN = "admin"
_PLATFORM_ROLES: dict[str, frozenset[str]] = {
    OWNER: frozenset({"*", *OWNERS_ONLY}),
    # Admins hold every permission; only owners may grant or take away the owner role.
    ADMIN: frozenset({"*"}),
    # Every role reads jobs, so whoever started one can follow it; a job of a kind the reader may not start
    # shows only to whoever started it (atrium.jobs.service).
    "member": frozenset({TENANT_READ, "users:read", "roles:read", "permissions:read", "api_tokens:read",
                         "api_tokens:create", "jobs:read"}),
    "viewer": frozenset({TENANT_READ, "users:read", "roles:read", "permissions:read", "jobs:read"}),
    "billing": frozenset({TENANT_READ, "billing:*", "jobs:read"}),
}
# The platform's grants, and what each installed app grants the same roles (or roles of its own).
_APP_GRANTS = manifest.role_grants()
BUILT_IN_ROLES: dict[str, frozenset[str]] = {
    role: _PLATFORM_ROLES.get(role, frozenset()).union(*(granted.get(role, frozenset()) for granted in _APP_GRANTS))
    for role in [*_PLATFORM_ROLES, *(role for granted in _APP_GRANTS for role in granted)]}


def _scoped_roles() -> dict[str, str]:
    scoped: dict[str, str] = {}
    for declared in manifest.role_scopes():
        for role, prefix in declared.items():
            if role in _PLATFORM_ROLES or scoped.get(role, prefix) != prefix:
                raise ValueError(f"role {role!r} cannot be scoped to {prefix!r}: it is a platform role or has "
                                 "another scope")
            scoped[role] = prefix
    return scoped


# Scoped role -> the id prefix of the record each of its grants names.
ROLE_SCOPES: dict[str, str] = _scoped_roles()


def permissions_for(roles: Iterable[str], custom: Mapping[str, Iterable[str]] | None = None) -> frozenset[str]:
    """The patterns ``roles`` hold. Unknown roles carry nothing, so a stale or forged name grants no access."""
    custom = custom or {}
    held: set[str] = set()
    for role in roles:
        held |= BUILT_IN_ROLES.get(role) or frozenset(custom.get(role, ()))
    return frozenset(held)
