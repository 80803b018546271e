"""What a signed-in user may do right now, read live so that changes apply quickly.

An access token names a user, a tenant and a session; the roles come from the membership,
not from the token. One BatchGetItem reads the tenant, the membership, the session, the user,
the tenant's custom roles and its subscription (the plan in force's API rate limit, which the principal
carries); the answer is cached in-process for ``access_cache_seconds``. With the API Gateway authorizer
cache in front (at most as long), a role change, a removal, a revoked session, a suspended tenant or a
new plan applies within their sum (60 s by default).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from atrium.billing.api import Limit, plan_among, subscription_key
from atrium.identity.access.roles import OWNER, permissions_for
from atrium.identity.models import (
    ACTIVE,
    CUSTOM_ROLES_ID,
    CustomRolesItem,
    MembershipItem,
    SessionItem,
    TenantItem,
    UserItem,
)
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Forbidden, Unauthenticated
from atrium.kernel.permissions import DURING_DELETION
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import Principal, PrincipalType, tenant_scope
from atrium.kernel.ttl_cache import TtlCache

T = TypeVar("T", bound=Item)
_principals: TtlCache[tuple[str, str, str], Principal] = TtlCache(settings().access_cache_seconds)


def user_principal(tenant_id: str, user_id: str, session_id: str) -> Principal:
    key = (tenant_id, user_id, session_id)
    principal = _principals.get(key)
    if principal is None:
        principal = _load(tenant_id, user_id, session_id).principal
        _principals.put(key, principal)
    return principal


@dataclass(frozen=True)
class LiveAccess:
    principal: Principal
    session: SessionItem


def live_access(tenant_id: str, user_id: str, session_id: str) -> LiveAccess:
    """Read now and consistently, not from the cache: before issuing new tokens for a session."""
    return _load(tenant_id, user_id, session_id, consistent=True)


def forget_cached_access() -> None:
    """Drop every cached answer, users' and API tokens' (tests; an operator tool could call it too)."""
    # Imported here: token_auth imports this module (check_tenant_active).
    from atrium.identity.access.token_auth import forget_cached_tokens

    _principals.clear()
    forget_cached_tokens()


def check_tenant_active(tenant: TenantItem | None, member: MembershipItem | None = None) -> TenantItem:
    """Refuse a suspended tenant, but to its owners (``member``: the caller's membership, when read) while it is
    held for its deletion."""
    if tenant is None:
        raise Unauthenticated("the credential's tenant does not exist")
    if tenant.status != ACTIVE and not (tenant.held_for_deletion and _owner(member)):
        raise Forbidden("the tenant is suspended; contact support")
    return tenant


def _owner(member: MembershipItem | None) -> bool:
    return member is not None and member.status == ACTIVE and OWNER in member.roles_at(clock.now())


def _load(tenant_id: str, user_id: str, session_id: str, *, consistent: bool = False) -> LiveAccess:
    with tenant_scope(tenant_id):
        wanted: list[Item] = [
            TenantItem(tenant_id=tenant_id, id=tenant_id),
            MembershipItem(tenant_id=tenant_id, id=user_id),
            SessionItem(tenant_id=tenant_id, id=session_id, user_id=user_id),
            CustomRolesItem(tenant_id=tenant_id, id=CUSTOM_ROLES_ID),
            UserItem(natural_key=user_id),
        ]
        for item in wanted:
            item.assign_keys()
        read = [(item.pk, keys.ENTITY_SK) for item in wanted] + [subscription_key(tenant_id)]
        found = {type(item): item for item in Item.batch_get(read, consistent_read=consistent)}
    membership = _of(found, MembershipItem)
    tenant = check_tenant_active(_of(found, TenantItem), membership)
    session, user = _of(found, SessionItem), _of(found, UserItem)
    if session is None or session.user_id != user_id or user is None or not user.session_alive(session.created_at):
        raise Unauthenticated("the session has ended; sign in again")
    if membership is None:
        raise Unauthenticated("the user is no longer a member of this tenant")
    if membership.status != ACTIVE:
        raise Forbidden("the membership is deactivated")
    custom = _of(found, CustomRolesItem)
    roles = membership.roles_at(clock.now())
    # An owner of a tenant held for its deletion may only follow or cancel it (check_tenant_active let them in).
    permissions = DURING_DELETION if tenant.status != ACTIVE else permissions_for(
        roles, custom.permissions() if custom else None)
    return LiveAccess(Principal(type=PrincipalType.USER, id=user_id, tenant_id=tenant_id, roles=roles,
                                permissions=permissions,
                                session_id=session_id, name=user.email, scope=membership.scope,
                                tenant_requests_per_minute=api_rate_limit(found.values())), session)


def api_rate_limit(found: Iterable[Item]) -> int | None:
    """The plan in force's API rate limit, from a read of the tenant's items that asked for its subscription."""
    return plan_among(found).limit(Limit.API_REQUESTS_PER_MINUTE)


def _of(found: dict[type, Item], kind: type[T]) -> T | None:
    item = found.get(kind)
    return item if isinstance(item, kind) else None
