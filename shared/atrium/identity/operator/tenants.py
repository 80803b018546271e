"""What operators do to tenants: list and search the directory, read one, suspend and reactivate, set a custom
plan (billing's), rotate its data key and follow its deletion (compliance's).

A suspension changes the tenant item (which the authorizer reads live, ``identity.access_state``) and its
directory entry in one unit of work in the affected tenant: the audit entry and the event land in that
tenant's log, naming the operator as the actor.
"""

from typing import Any

from pynamodb.indexes import GlobalSecondaryIndex

from atrium.billing.api import CustomPlan, PlanOut, plan_out, remove_custom_plan, set_custom_plan
from atrium.compliance.api import DeletionOut, rotate_data_key, tenant_deletion
from atrium.identity.directory import DIRECTORY, TenantDirectoryItem, directory_entry, search_key, tenant_ids
from atrium.identity.models import ACTIVE, SUSPENDED, TenantItem
from atrium.identity.operator.events import TENANT_REACTIVATED, TENANT_SUSPENDED, TenantReactivated, TenantSuspended
from atrium.identity.operator.schemas import DataKeyOut
from atrium.identity.tenants import Versioned, tenant_out
from atrium.kernel import ids, tasks
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import Page, fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of, tenant_scope


def list_tenants(*, q: str, status: str | None, limit: int, cursor: str | None) -> Page[TenantDirectoryItem]:
    """One Query: the whole directory (gsi1) or one status (gsi2), by name prefix, in name order."""
    prefix = search_key(q)
    index: GlobalSecondaryIndex[Item] = TenantDirectoryItem.gsi1 if status is None else TenantDirectoryItem.gsi2
    sort_key = TenantDirectoryItem.gsi1sk if status is None else TenantDirectoryItem.gsi2sk
    condition = sort_key.startswith(prefix) if prefix else None

    def run_query(start: dict[str, Any] | None) -> Any:
        return index.query(keys.global_collection_pk(DIRECTORY, status), range_key_condition=condition,
                           limit=limit, page_size=limit, last_evaluated_key=start)

    # The cursor is bound to the directory (no tenant) and to this search, so it replays nowhere else.
    return fetch_page(run_query, cursor=cursor, tenant_id=DIRECTORY, query=f"status={status}&q={prefix}")


def set_plan(operator: Principal, tenant_id: str, custom: CustomPlan, info: RequestInfo) -> PlanOut:
    get_tenant(tenant_id)  # 404 for no such tenant
    return plan_out(set_custom_plan(operator, tenant_id, custom, info))


def rotate_key(operator: Principal, tenant_id: str, info: RequestInfo) -> DataKeyOut:
    get_tenant(tenant_id)
    return DataKeyOut(tenant_id=tenant_id, key_version=rotate_data_key(operator, tenant_id, info))


# The task that rotates every tenant's data key, one after another (about 50 ms each: some 15,000 tenants fit in
# the consumer's 15 minutes; beyond, fan out a task per tenant).
ROTATE_ALL = "operator.rotate_all_data_keys"


def queue_rotation_of_all(operator: Principal, info: RequestInfo) -> None:
    tasks.send(ROTATE_ALL, [tasks.Task({"operator": operator.model_dump(mode="json"), "info": info.as_map()},
                                       key=f"{ROTATE_ALL}:{ids.new_id('req')}")])


def rotate_data_keys_of_all(bodies: list[dict[str, Any]]) -> set[int]:
    """The task: each tenant's data key rotated, written in its log as the operator's doing."""
    for body in bodies:
        operator, info = Principal.model_validate(body["operator"]), RequestInfo(**body["info"])
        rotated = 0
        for tenant_id in tenant_ids():
            rotate_data_key(operator, tenant_id, info)
            rotated += 1
        logger.info("every tenant's data key rotated", extra={"tenants": rotated, "operator_id": operator.id})
    return set()


def remove_plan(operator: Principal, tenant_id: str, info: RequestInfo) -> PlanOut:
    get_tenant(tenant_id)
    return plan_out(remove_custom_plan(operator, tenant_id, info))


def deletion(tenant_id: str) -> DeletionOut:
    return tenant_deletion(_checked(tenant_id))


def get_tenant(tenant_id: str) -> Versioned:
    with tenant_scope(_checked(tenant_id)):
        tenant = TenantItem.load(tenant_id, tenant_id)
    return Versioned(tenant_out(tenant), tenant.version or 0)


def suspend(operator: Principal, tenant_id: str, reason: str, info: RequestInfo) -> Versioned:
    return _set_status(operator, tenant_id, SUSPENDED, info, TENANT_SUSPENDED,
                       TenantSuspended(tenant_id=tenant_id, reason=reason).model_dump(), {"reason": reason})


def reactivate(operator: Principal, tenant_id: str, info: RequestInfo) -> Versioned:
    return _set_status(operator, tenant_id, ACTIVE, info, TENANT_REACTIVATED,
                       TenantReactivated(tenant_id=tenant_id).model_dump(), {})


def _set_status(operator: Principal, tenant_id: str, status: str, info: RequestInfo, event: EventType,
                data: dict[str, Any], metadata: dict[str, Any]) -> Versioned:
    with tenant_scope(_checked(tenant_id)):
        tenant = TenantItem.load(tenant_id, tenant_id, consistent=True)
        if tenant.status == status:
            raise Conflict(f"the tenant is already {status}")
        tenant.status, tenant.suspension_reason = status, metadata.get("reason")
        uow = UnitOfWork(tenant_id, actor_of(operator), info)
        uow.save(tenant)
        uow.save(directory_entry(tenant))
        uow.record(event.name, subject=Ref(type="tenant", id=tenant_id), data=data, metadata=metadata)
        uow.commit()
    return Versioned(tenant_out(tenant), tenant.version or 0)


def _checked(tenant_id: str) -> str:
    """A path parameter that is not a tenant id names no tenant (404), and never reaches a key."""
    if not ids.is_valid_id(tenant_id, "ten"):
        raise NotFound(f"tenant {tenant_id} not found")
    return tenant_id
