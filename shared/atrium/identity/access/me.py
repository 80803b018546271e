"""``GET /v1/me``: who the caller is, where, and what they may do (one BatchGetItem)."""

from atrium.identity.access import catalog
from atrium.identity.access.schemas import Me, MeTenant, MeUser
from atrium.identity.models import TenantItem, UserItem
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import Principal


def me(principal: Principal) -> Me:
    wanted: list[Item] = [TenantItem(tenant_id=principal.tenant_id, id=principal.tenant_id),
                          UserItem(natural_key=principal.id)]
    for item in wanted:
        item.assign_keys()
    found = list(Item.batch_get([(item.pk, keys.ENTITY_SK) for item in wanted]))
    tenant = next((item for item in found if isinstance(item, TenantItem)), None)
    user = next((item for item in found if isinstance(item, UserItem)), None)
    if tenant is None or user is None:  # deleted since the authorizer read them
        raise Unauthenticated("the account no longer exists; sign in again")
    return Me(user=MeUser(id=user.id, email=user.email, email_verified=bool(user.email_verified),
                          mfa_enabled=bool(user.mfa_enabled)),
              tenant=MeTenant(id=tenant.id, name=tenant.name, status=tenant.status),
              roles=list(principal.roles), scope=principal.scope, permissions=catalog.effective(principal.permissions))
