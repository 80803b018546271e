"""Roles: the built-in ones and each tenant's custom roles.

A tenant's custom roles live in one item (``CustomRolesItem``) so the authorizer reads them with the rest
of a member's live access in one BatchGetItem. Each definition carries its own ``version`` (the role's
ETag), so editing one role does not make another role's If-Match stale; the item's version still guards
every write against concurrent changes.
"""

from typing import Any

from atrium.identity.access import catalog
from atrium.identity.access.events import ROLE_CREATED, ROLE_DELETED, ROLE_UPDATED, RoleChanged, RoleDeleted
from atrium.identity.access.roles import BUILT_IN_ROLES, ROLE_SCOPES
from atrium.identity.access.schemas import RoleCreate, RoleOut, RoleUpdate
from atrium.identity.models import CUSTOM_ROLES_ID, CustomRolesItem, MembershipItem
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

MAX_CUSTOM_ROLES = 50


def built_in_out(name: str) -> RoleOut:
    patterns = BUILT_IN_ROLES[name]
    return RoleOut(name=name, built_in=True, description=f"Built-in role {name}", patterns=sorted(patterns),
                   permissions=catalog.effective(patterns), scope=ROLE_SCOPES.get(name))


def custom_out(name: str, definition: dict[str, Any]) -> RoleOut:
    held = [str(p) for p in definition.get("permissions", [])]
    return RoleOut(name=name, built_in=False, description=str(definition.get("description", "")),
                   patterns=sorted(held), permissions=catalog.effective(frozenset(held)),
                   created_at=definition.get("created_at"), updated_at=definition.get("updated_at"))


def _stored(tenant_id: str, *, consistent: bool = False) -> CustomRolesItem | None:
    try:
        return CustomRolesItem.load(tenant_id, CUSTOM_ROLES_ID, consistent=consistent)
    except NotFound:
        return None


def _definitions(item: CustomRolesItem | None) -> dict[str, dict[str, Any]]:
    return item.definitions() if item else {}


def list_roles(principal: Principal) -> list[RoleOut]:
    custom = _definitions(_stored(principal.tenant_id))
    return [*(built_in_out(name) for name in BUILT_IN_ROLES),
            *(custom_out(name, custom[name]) for name in sorted(custom))]


def get_role(principal: Principal, name: str) -> tuple[RoleOut, int | None]:
    """The role and, for a custom role, its version (built-in roles cannot be changed, so have none)."""
    if name in BUILT_IN_ROLES:
        return built_in_out(name), None
    definition = _definitions(_stored(principal.tenant_id)).get(name)
    if definition is None:
        raise NotFound(f"role {name} not found")
    return custom_out(name, definition), int(definition["version"])


def _commit(principal: Principal, info: RequestInfo, item: CustomRolesItem, *, new: bool, action: str,
            data: dict[str, Any], name: str) -> None:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if new:
        uow.create(item, conflict=Conflict("roles were changed by another request; retry"))
    else:
        uow.save(item)
    uow.record(action, subject=Ref(type="role", id=name), data=data)
    uow.commit()


def _with_definitions(principal: Principal, definitions: dict[str, dict[str, Any]],
                      stored: CustomRolesItem | None) -> CustomRolesItem:
    item = stored or CustomRolesItem(tenant_id=principal.tenant_id, id=CUSTOM_ROLES_ID)
    item.roles = definitions
    return item


def create_role(principal: Principal, body: RoleCreate, info: RequestInfo) -> tuple[RoleOut, int]:
    permissions = catalog.check_grantable(principal, body.permissions)
    if body.name in BUILT_IN_ROLES:
        raise Conflict(f"{body.name} is a built-in role")
    stored = _stored(principal.tenant_id, consistent=True)
    definitions = _definitions(stored)
    if body.name in definitions:
        raise Conflict(f"a role named {body.name} already exists")
    if len(definitions) >= MAX_CUSTOM_ROLES:
        raise Conflict(f"a tenant has at most {MAX_CUSTOM_ROLES} custom roles; delete one first")
    now = clock.iso(clock.now())
    definitions[body.name] = {"description": body.description, "permissions": permissions, "created_at": now,
                              "updated_at": now, "version": 1}
    _commit(principal, info, _with_definitions(principal, definitions, stored), new=stored is None,
            action=ROLE_CREATED.name, name=body.name,
            data=RoleChanged(name=body.name, description=body.description, permissions=permissions).model_dump())
    return custom_out(body.name, definitions[body.name]), 1


def _existing(principal: Principal, name: str) -> tuple[CustomRolesItem, dict[str, dict[str, Any]]]:
    if name in BUILT_IN_ROLES:
        raise Conflict(f"{name} is a built-in role; built-in roles cannot be changed")
    stored = _stored(principal.tenant_id, consistent=True)
    definitions = _definitions(stored)
    if stored is None or name not in definitions:
        raise NotFound(f"role {name} not found")
    return stored, definitions


def update_role(principal: Principal, name: str, change: RoleUpdate, expected_version: int,
                info: RequestInfo) -> tuple[RoleOut, int]:
    permissions = None if change.permissions is None else catalog.check_grantable(principal, change.permissions)
    stored, definitions = _existing(principal, name)
    definition = definitions[name]
    if int(definition["version"]) != expected_version:
        raise PreconditionFailed("the role has changed since you read it; read it again")
    if change.description is not None:
        definition["description"] = change.description
    if permissions is not None:
        definition["permissions"] = permissions
    definition["updated_at"] = clock.iso(clock.now())
    definition["version"] = expected_version + 1
    _commit(principal, info, _with_definitions(principal, definitions, stored), new=False,
            action=ROLE_UPDATED.name, name=name,
            data=RoleChanged(name=name, description=str(definition["description"]),
                             permissions=[str(p) for p in definition["permissions"]]).model_dump())
    return custom_out(name, definition), expected_version + 1


def _held_by_anyone(tenant_id: str, name: str) -> bool:
    """Whether a membership still holds an unexpired grant of the role. Walks the tenant's memberships (one
    Query per page): bounded by the tenant's size, and deleting a role is rare."""
    now = clock.now()
    memberships = MembershipItem.gsi1.query(keys.collection_pk(tenant_id, MembershipItem.type_name()))
    return any(isinstance(member, MembershipItem) and name in member.roles_at(now) for member in memberships)


def delete_role(principal: Principal, name: str, info: RequestInfo) -> None:
    stored, definitions = _existing(principal, name)
    if _held_by_anyone(principal.tenant_id, name):
        raise Conflict(f"members still hold the role {name}; take it from them first")
    del definitions[name]
    _commit(principal, info, _with_definitions(principal, definitions, stored), new=False,
            action=ROLE_DELETED.name, name=name, data=RoleDeleted(name=name).model_dump())
