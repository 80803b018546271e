"""Operator roles and permissions: their own table, never tenant roles (a tenant role grants nothing here)."""

from collections.abc import Iterable

TENANTS_READ = "tenants:read"
TENANTS_SUSPEND = "tenants:suspend"
TENANTS_SET_PLAN = "tenants:set_plan"  # a custom plan (billing)
USAGE_READ = "usage:read"  # the platform's metered usage per tenant (billing)
TENANTS_ROTATE_KEYS = "tenants:rotate_keys"  # a tenant's data key (compliance)
MARKETPLACE_REVIEW = "marketplace:review"  # plugin versions submitted, listings marked (plugins)

OPERATOR_ADMIN = "operator_admin"
OPERATOR_SUPPORT = "operator_support"
OPERATOR_ROLES: dict[str, frozenset[str]] = {
    OPERATOR_ADMIN: frozenset({TENANTS_READ, TENANTS_SUSPEND, TENANTS_SET_PLAN, USAGE_READ, TENANTS_ROTATE_KEYS,
                               MARKETPLACE_REVIEW}),
    OPERATOR_SUPPORT: frozenset({TENANTS_READ, USAGE_READ}),
}


def operator_permissions(roles: Iterable[str]) -> frozenset[str]:
    """What ``roles`` allow; an unknown role (a tenant role, a stale name) allows nothing."""
    return frozenset(permission for role in roles for permission in OPERATOR_ROLES.get(role, ()))
