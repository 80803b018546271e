"""The caller's tenant: read it, rename it, hold it for its deletion."""

from dataclasses import dataclass

from atrium.identity.directory import directory_entry
from atrium.identity.events import TENANT_UPDATED, TenantUpdated
from atrium.identity.models import ACTIVE, SUSPENDED, TenantItem
from atrium.identity.schemas import TenantOut, TenantUpdate
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import DELETION_REQUESTED, Principal, actor_of


@dataclass(frozen=True)
class Versioned:
    """A read model and the version the API exposes as its ETag."""

    body: TenantOut
    version: int


def tenant_out(tenant: TenantItem) -> TenantOut:
    return TenantOut(id=tenant.id, name=tenant.name, status=tenant.status,
                     created_at=clock.iso(tenant.created_at), updated_at=clock.iso(tenant.updated_at))


def tenant_name(tenant_id: str) -> str:
    """The workspace's name, as documents rendered for it are titled. Call inside the tenant's scope."""
    return str(TenantItem.load(tenant_id, tenant_id).name)


def get_tenant(principal: Principal) -> Versioned:
    tenant = TenantItem.load(principal.tenant_id, principal.tenant_id)
    return Versioned(tenant_out(tenant), tenant.version or 0)


def update_tenant(principal: Principal, change: TenantUpdate, expected_version: int, info: RequestInfo) -> Versioned:
    tenant = TenantItem.load(principal.tenant_id, principal.tenant_id, consistent=True)
    if tenant.version != expected_version:
        raise PreconditionFailed("the tenant has changed since you read it; read it again")
    previous_name, tenant.name = tenant.name, change.name
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.save(tenant)
    uow.save(directory_entry(tenant))
    uow.record(TENANT_UPDATED.name, subject=Ref(type="tenant", id=tenant.id), data=TenantUpdated(
        tenant_id=tenant.id, name=tenant.name, previous_name=previous_name).model_dump())
    uow.commit()
    return Versioned(tenant_out(tenant), tenant.version or 0)


def hold_for_deletion(uow: UnitOfWork, held: bool) -> None:
    """Suspend the tenant for its deletion (``held``) or make it active again, in ``uow`` with its directory entry
    (``TenantDirectory.hold_for_deletion``)."""
    tenant = TenantItem.load(uow.tenant_id, uow.tenant_id, consistent=True)
    if held and tenant.status != ACTIVE:
        raise Conflict("the tenant is suspended already")
    if not held and not tenant.held_for_deletion:
        raise Conflict("the tenant is not suspended for its deletion")
    tenant.status, tenant.suspension_reason = (SUSPENDED, DELETION_REQUESTED) if held else (ACTIVE, None)
    uow.save(tenant)
    uow.save(directory_entry(tenant))


def held_for_deletion(tenant_id: str) -> bool:
    return TenantItem.load(tenant_id, tenant_id, consistent=True).held_for_deletion
