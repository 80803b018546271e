"""A tenant made for an existing user (a backup restored into a new tenant): the tenant, its directory entry, the
user's membership as its owner and its place in the user's tenants, audit entry and event, in one transaction."""

from atrium.identity.access.roles import OWNER
from atrium.identity.directory import directory_entry
from atrium.identity.events import TENANT_CREATED, TenantCreated
from atrium.identity.models import MembershipItem, RoleGrant, TenantItem, UserItem
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope


def open_tenant(tenant_id: str, name: str, owner_user_id: str) -> bool:
    """Make tenant ``tenant_id`` (a new id), owned by the user; False when it exists already (a retried job)."""
    with tenant_scope(tenant_id):
        try:
            TenantItem.load(tenant_id, tenant_id, consistent=True)
            return False
        except NotFound:
            pass
        user = UserItem.find(owner_user_id, consistent=True)
        if user is None:
            raise NotFound(f"user {owner_user_id} not found")
        tenant = TenantItem(tenant_id=tenant_id, id=tenant_id, name=name)
        collision = Conflict("the tenant was made meanwhile; retry")
        uow = UnitOfWork(tenant_id, Ref(type="user", id=user.id, name=user.email))
        uow.create(tenant, conflict=collision)
        uow.create(directory_entry(tenant), conflict=collision)
        uow.create(MembershipItem(tenant_id=tenant_id, id=user.id, email=user.email,
                                  grants=[RoleGrant(role=OWNER)]), conflict=collision)  # type: ignore[no-untyped-call]
        user.tenant_ids = [*user.tenant_ids, tenant_id]
        uow.save(user)
        uow.record(TENANT_CREATED.name, subject=Ref(type="tenant", id=tenant_id), data=TenantCreated(
            tenant_id=tenant_id, name=name, owner_user_id=user.id, owner_email=user.email).model_dump())
        uow.commit()
    return True
