"""Reading the user an account operation acts on, and where its change is recorded."""

from typing import TypeVar

from atrium.identity.models import TenantItem, UserItem
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope

T = TypeVar("T", bound=Item)


def user_ref(user_id: str) -> Ref:
    return Ref(type="user", id=user_id)


def read_together(*wanted: Item) -> list[Item]:
    """One BatchGetItem for these (unsaved) items' keys; the ones that exist."""
    for item in wanted:
        item.assign_keys()
    return list(Item.batch_get([(item.pk, keys.ENTITY_SK) for item in wanted]))


def first_of(found: list[Item], kind: type[T]) -> T | None:
    return next((item for item in found if isinstance(item, kind)), None)


def user_and_tenant_keys(user_id: str, tenant_id: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The keys of the global user and of one of its tenants, for a BatchGetItem."""
    user = UserItem(natural_key=user_id)
    user.assign_keys()
    with tenant_scope(tenant_id):
        tenant = TenantItem(tenant_id=tenant_id, id=tenant_id)
        tenant.assign_keys()
    return (user.pk, keys.ENTITY_SK), (tenant.pk, keys.ENTITY_SK)


def audit_tenant(user: UserItem) -> str | None:
    """Where a public route (password reset, email verification) records a change to ``user``: the first
    tenant it joined. None for a user left in no tenant (who cannot sign in either)."""
    return user.tenant_ids[0] if user.tenant_ids else None
