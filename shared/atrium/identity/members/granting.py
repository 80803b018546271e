"""Who may grant which roles: names that exist, expiries in the future, scopes where (and only where) a role is
scoped, a scoped role alone, no escalation, owners for owner."""

from collections.abc import Sequence
from functools import lru_cache

from atrium.identity.access.roles import BUILT_IN_ROLES, OWNER, ROLE_SCOPES, permissions_for
from atrium.identity.members.schemas import RoleGrantIn
from atrium.identity.models import CustomRolesItem, RoleGrant
from atrium.kernel import clock, ids
from atrium.kernel.errors import Forbidden, Unprocessable
from atrium.kernel.permissions import expand
from atrium.kernel.tenancy import Principal


@lru_cache(maxsize=1)
def permission_catalog() -> frozenset[str]:
    """Every permission a role can grant: those of the tenant routes (imports every context's routes)."""
    from atrium import manifest

    return frozenset(spec.permission for spec in manifest.routes() if spec.in_catalog)


def is_owner(principal: Principal) -> bool:
    return OWNER in principal.roles


def require_owner(principal: Principal, action: str) -> None:
    if not is_owner(principal):
        raise Forbidden(f"only owners may {action}")


def grants_from(principal: Principal, requested: Sequence[RoleGrantIn], custom: CustomRolesItem | None,
                *, field: str = "body.roles") -> list[RoleGrant]:
    """The grants ``principal`` asks for, checked: 422 for unknown names or past expiries, 403 for escalation."""
    custom_permissions = custom.permissions() if custom else {}
    now, errors, seen = clock.now(), [], set()
    for n, grant in enumerate(requested):
        if grant.role not in BUILT_IN_ROLES and grant.role not in custom_permissions:
            errors.append({"field": f"{field}.{n}.role", "message": f"no role named {grant.role!r}"})
        if grant.role in seen:
            errors.append({"field": f"{field}.{n}.role", "message": f"{grant.role!r} is listed twice"})
        if grant.expires_at is not None and grant.expires_at <= now:
            errors.append({"field": f"{field}.{n}.expires_at", "message": "must be in the future"})
        scope_error = _scope_error(grant)
        if scope_error:
            errors.append({"field": f"{field}.{n}.scope", "message": scope_error})
        seen.add(grant.role)
    scoped = sorted(seen.intersection(ROLE_SCOPES))
    if scoped and len(requested) > 1:
        errors.append({"field": field, "message": f"{scoped[0]!r} is confined to one record: it is a member's "
                                                  "only grant"})
    if errors:
        raise Unprocessable("some roles cannot be granted", errors=errors)
    if OWNER in seen:
        require_owner(principal, "grant the owner role")
    catalog = permission_catalog()
    held = expand(principal.permissions, catalog)
    for role in sorted(seen):
        missing = expand(permissions_for([role], custom_permissions), catalog) - held
        if missing:
            lacking = ", ".join(sorted(missing))
            raise Forbidden(f"you cannot grant {role!r}: it holds permissions you do not ({lacking})")
    return [RoleGrant(role=grant.role, expires_at=grant.expires_at, granted_by=principal.id,  # type: ignore[no-untyped-call]
                      scope=grant.scope)
            for grant in requested]


def _scope_error(grant: RoleGrantIn) -> str | None:
    """Why ``grant``'s scope is wrong for its role, if it is. Only the id's shape is checked: the record is the
    app's, and the app confines its member to it (an id naming no record confines them to nothing)."""
    prefix = ROLE_SCOPES.get(grant.role)
    if prefix is None:
        return None if grant.scope is None else f"{grant.role!r} is not a scoped role: send no scope"
    if grant.scope is None or not ids.is_valid_id(grant.scope, prefix):
        return f"{grant.role!r} is confined to one record: send its id ({prefix}_...)"
    return None
