"""Permissions are ``resource:action``; roles hold patterns over them.

A pattern is a permission, ``resource:*``, ``*:action`` or ``*``. Roles are kept as patterns,
not expanded lists, so a route function checks a permission without loading the whole catalog.
"""

from collections.abc import Iterable

WILDCARD = "*"
# The tenant's own settings, which more than one context serves (its name, its email branding).
TENANT_READ = "tenant:read"
TENANT_UPDATE = "tenant:update"
TENANT_DELETE = "tenant:delete"
# Held by the owner role alone, which names them: no wildcard allows them (admins hold "*"), and no custom role or
# API token is granted them (identity's catalog refuses).
OWNERS_ONLY = frozenset({TENANT_DELETE})
# All an owner may do while the tenant is suspended for its deletion: follow or cancel it, and read the backups
# (the final one above all). Every other member and API token is refused meanwhile.
DURING_DELETION = frozenset({TENANT_DELETE, "backups:read"})


def matches(pattern: str, permission: str) -> bool:
    if permission in OWNERS_ONLY:
        return pattern == permission
    if pattern == WILDCARD:
        return True
    want_resource, _, want_action = pattern.partition(":")
    resource, _, action = permission.partition(":")
    return want_resource in (WILDCARD, resource) and want_action in (WILDCARD, action)


def allows(patterns: Iterable[str], permission: str) -> bool:
    return any(matches(pattern, permission) for pattern in patterns)


def expand(patterns: Iterable[str], catalog: Iterable[str]) -> frozenset[str]:
    """The permissions of ``catalog`` that ``patterns`` allow."""
    held = tuple(patterns)
    return frozenset(permission for permission in catalog if allows(held, permission))
