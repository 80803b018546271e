"""The tenant's members: list, read, change roles or status, remove."""

from dataclasses import dataclass

from atrium.identity.access.roles import OWNER
from atrium.identity.members.events import MEMBER_REMOVED, MEMBER_UPDATED, MemberRemoved, MemberUpdated
from atrium.identity.members.granting import grants_from, require_owner
from atrium.identity.members.owners import ensure_another_owner, holds_ownership
from atrium.identity.members.schemas import MemberOut, MemberPage, MemberUpdate
from atrium.identity.members.usage_counts import require_seat
from atrium.identity.members.views import grants_data, member_out
from atrium.identity.models import ACTIVE, CUSTOM_ROLES_ID, CustomRolesItem, MembershipItem, TenantItem, UserItem
from atrium.kernel import clock, ids
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.reads import Found
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


@dataclass(frozen=True)
class Versioned:
    body: MemberOut
    version: int


def list_members(principal: Principal, *, limit: int, cursor: str | None) -> MemberPage:
    tenant_id = principal.tenant_id
    page = fetch_page(
        lambda start: MembershipItem.gsi1.query(keys.collection_pk(tenant_id, MembershipItem.type_name()),
                                                limit=limit, page_size=limit, last_evaluated_key=start),
        cursor=cursor, tenant_id=tenant_id, query="members.list_users")
    return MemberPage(data=[member_out(item) for item in page.items if isinstance(item, MembershipItem)],
                      next_cursor=page.next_cursor)


def get_member(principal: Principal, user_id: str) -> Versioned:
    member = MembershipItem.load(principal.tenant_id, _checked(user_id))
    return Versioned(member_out(member), member.version or 0)


def _holds_owner_role(member: MembershipItem) -> bool:
    return OWNER in member.roles_at(clock.now())


def _not_found(user_id: str) -> NotFound:
    return NotFound(f"user {user_id} is not a member of this tenant")


def _checked(user_id: str) -> str:
    """A path that is no user id names no member (and must not reach the key scheme)."""
    if not ids.is_valid_id(user_id, "usr"):
        raise _not_found(user_id)
    return user_id


def update_member(principal: Principal, user_id: str, change: MemberUpdate, expected_version: int,
                  info: RequestInfo) -> Versioned:
    tenant_id, user_id = principal.tenant_id, _checked(user_id)
    # The tenant is read before the owners are counted (see owners.py).
    found = Found([MembershipItem(tenant_id=tenant_id, id=user_id), TenantItem(tenant_id=tenant_id, id=tenant_id),
                   CustomRolesItem(tenant_id=tenant_id, id=CUSTOM_ROLES_ID)])
    member, tenant = found.get(MembershipItem), found.get(TenantItem)
    if member is None or tenant is None:
        raise _not_found(user_id)
    if member.version != expected_version:
        raise PreconditionFailed("the member has changed since you read them; read again")
    previous_grants, previous_status = list(member.grants), member.status
    was_owner, had_owner_role = holds_ownership(member), _holds_owner_role(member)
    if change.roles is not None:
        granted = grants_from(principal, change.roles, found.get(CustomRolesItem))
        unchanged = {(grant.role, grant.expires_at, grant.scope): grant for grant in previous_grants}
        member.grants = [unchanged.get((grant.role, grant.expires_at, grant.scope), grant) for grant in granted]
        if had_owner_role and not _holds_owner_role(member):
            require_owner(principal, "take away the owner role")
    if change.status is not None and change.status != member.status:
        if had_owner_role:
            require_owner(principal, "deactivate or reactivate an owner")
        if change.status == ACTIVE:
            require_seat(tenant_id)
        member.status = change.status
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    if was_owner and not holds_ownership(member):
        ensure_another_owner(tenant_id, user_id)
        uow.save(tenant)
    uow.save(member)
    uow.record(MEMBER_UPDATED.name, subject=Ref(type="user", id=user_id), data=MemberUpdated(
        user_id=user_id, roles=grants_data(member.grants), status=member.status,
        previous_roles=grants_data(previous_grants), previous_status=previous_status).model_dump())
    uow.commit()
    return Versioned(member_out(member), member.version or 0)


def remove_member(principal: Principal, user_id: str, info: RequestInfo) -> None:
    """Deletes the membership and takes the tenant off the user's list, in one transaction."""
    tenant_id, user_id = principal.tenant_id, _checked(user_id)
    found = Found([MembershipItem(tenant_id=tenant_id, id=user_id), TenantItem(tenant_id=tenant_id, id=tenant_id),
                   UserItem(natural_key=user_id)])
    member, tenant, user = found.get(MembershipItem), found.get(TenantItem), found.get(UserItem)
    if member is None or tenant is None:
        raise _not_found(user_id)
    if _holds_owner_role(member):
        require_owner(principal, "remove an owner")
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    if holds_ownership(member):
        ensure_another_owner(tenant_id, user_id)
        uow.save(tenant)
    if user is not None:
        user.tenant_ids = [other for other in user.tenant_ids if other != tenant_id]
        uow.save(user)
    uow.delete(member)
    uow.record(MEMBER_REMOVED.name, subject=Ref(type="user", id=user_id),
               data=MemberRemoved(user_id=user_id, email=member.email).model_dump())
    uow.commit()
