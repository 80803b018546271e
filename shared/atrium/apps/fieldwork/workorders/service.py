"""Work orders: drafted for one customer's assemblies, read, listed (the tenant's, a customer's, a tester's days),
changed while draft or scheduled, deleted while draft. The customer counts its orders, so it is not deleted from
under them."""

import datetime as dt

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.customers.models import CustomerItem
from atrium.apps.fieldwork.customers.service import load_customer
from atrium.apps.fieldwork.events import WORK_ORDER
from atrium.apps.fieldwork.workorders import lifecycle
from atrium.apps.fieldwork.workorders.models import (
    CUSTOMER_WORK_ORDERS,
    TESTER_SCHEDULE,
    ScheduleEntryItem,
    WorkOrderItem,
)
from atrium.apps.fieldwork.workorders.schemas import (
    LineItem,
    WorkOrderCreate,
    WorkOrderList,
    WorkOrderOut,
    WorkOrderUpdate,
)
from atrium.apps.fieldwork.workorders.store import WorkOrderState, load_for_change, load_work_order, shown, write
from atrium.identity.api import active_members
from atrium.kernel import clock, ids
from atrium.kernel.errors import AtriumError, Conflict, NotFound, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.pages import collection_page, fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

WEEK = dt.timedelta(days=6)  # the default schedule: seven days


def uow_of(principal: Principal, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(principal.tenant_id, actor_of(principal), info)


def read_customer_and_assemblies(tenant_id: str, customer_id: str | None,
                                 assembly_ids: list[str]) -> tuple[CustomerItem | None, list[AssemblyItem]]:
    """The customer (when named) and those of the assemblies that exist, in one BatchGetItem."""
    wanted: list[tuple[type[TenantEntity], str]] = [(AssemblyItem, assembly_id) for assembly_id in assembly_ids
                                                    if ids.is_valid_id(assembly_id, "asm")]
    if customer_id is not None and ids.is_valid_id(customer_id, "cus"):
        wanted.append((CustomerItem, customer_id))
    found = list(Item.batch_get([(keys.entity_pk(tenant_id, model.type_name(), item_id), keys.ENTITY_SK)
                                 for model, item_id in wanted])) if wanted else []
    customer = next((item for item in found if isinstance(item, CustomerItem)), None)
    return customer, [item for item in found if isinstance(item, AssemblyItem)]


def _check_assemblies(customer_id: str, assembly_ids: list[str], found: list[AssemblyItem]) -> None:
    """Each is an assembly of the customer in the tenant, or 422 naming ``body.assembly_ids``."""
    theirs = {assembly.id for assembly in found if assembly.customer_id == customer_id}
    others = [assembly_id for assembly_id in assembly_ids if assembly_id not in theirs]
    if others:
        raise Unprocessable("a work order lists its customer's assemblies", errors=[
            {"field": "body.assembly_ids", "message": f"not an assembly of customer {customer_id}: {', '.join(others)}",
             "code": "not_the_customers"}])


def check_line_items(line_items: list[LineItem], assembly_ids: list[str], *, blame_assemblies: bool = False) -> None:
    """A line item for an assembly is for one the order lists, or 422 naming the item's ``assembly_id`` (or, for
    items kept while the assemblies change, ``body.assembly_ids``)."""
    errors = [{"field": "body.assembly_ids" if blame_assemblies else f"body.line_items.{n}.assembly_id",
               "message": f"line item {n} is for assembly {item.assembly_id}, which the order does not list",
               "code": "not_on_the_order"}
              for n, item in enumerate(line_items)
              if item.assembly_id is not None and item.assembly_id not in assembly_ids]
    if errors:
        raise Unprocessable("a line item is for one of the order's assemblies", errors=errors)


def _count(uow: UnitOfWork, order: WorkOrderItem, by: int, missing: AtriumError) -> None:
    """Count the order on (or off) its customer."""
    customer = CustomerItem(tenant_id=order.tenant_id, id=order.customer_id)
    records.count_child(uow, customer, CustomerItem.work_order_count, by, missing=missing)


def create_work_order(principal: Principal, body: WorkOrderCreate, info: RequestInfo) -> tuple[WorkOrderOut, int]:
    customer, assemblies = read_customer_and_assemblies(principal.tenant_id, body.customer_id, body.assembly_ids)
    if customer is None:
        raise Unprocessable("no such customer", errors=[
            {"field": "body.customer_id", "message": f"no customer {body.customer_id} in this tenant",
             "code": "not_found"}])
    _check_assemblies(customer.id, body.assembly_ids, assemblies)
    check_line_items(body.line_items, body.assembly_ids)
    order = WorkOrderItem(tenant_id=principal.tenant_id, id=ids.new_id("wo"), **body.model_dump(mode="json"))
    uow = uow_of(principal, info)
    _count(uow, order, 1, Conflict("the customer was deleted meanwhile"))
    return write(uow, WorkOrderState(order), "created", WORK_ORDER.created)


def get_work_order(principal: Principal, work_order_id: str) -> tuple[WorkOrderOut, int]:
    order = load_work_order(principal.tenant_id, work_order_id)
    records.check_customer(principal, order.customer_id, WorkOrderItem, work_order_id)
    return shown(order)


def list_work_orders(principal: Principal, *, limit: int, cursor: str | None) -> WorkOrderList:
    """The tenant's, oldest first."""
    page = collection_page(WorkOrderItem, principal.tenant_id, limit=limit, cursor=cursor,
                           query="fieldwork:work_orders")
    return WorkOrderList(data=[shown(order)[0] for order in page.items], next_cursor=page.next_cursor)


def list_customer_work_orders(principal: Principal, customer_id: str, *, limit: int,
                              cursor: str | None) -> WorkOrderList:
    """Oldest first. The customer is read first, so another tenant's customer is a 404, not an empty list."""
    records.check_customer(principal, customer_id, CustomerItem, customer_id)
    customer = load_customer(principal.tenant_id, customer_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, CUSTOMER_WORK_ORDERS, customer.id)
    page = fetch_page(lambda start: WorkOrderItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                             last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:work_orders:{customer.id}")
    return WorkOrderList(data=[shown(order)[0] for order in page.items if isinstance(order, WorkOrderItem)],
                         next_cursor=page.next_cursor)


def tester_schedule(principal: Principal, user_id: str, *, first: dt.date | None, last: dt.date | None, limit: int,
                    cursor: str | None) -> WorkOrderList:
    """The orders on the member's schedule from ``first`` (today, UTC) to ``last`` (a week's last day), inclusive, by
    day and window, one Query a page. The membership is read first, so a user of another tenant is a 404, not an
    empty list."""
    first = first or clock.now().date()
    last = last or first + WEEK
    if last < first:
        raise Unprocessable("the schedule ends on or after the day it starts", errors=[
            {"field": "query.to", "message": "on or after `from`", "code": "before_from"}])
    if not ids.is_valid_id(user_id, "usr") or user_id not in active_members(principal.tenant_id, {user_id}):
        raise NotFound(f"user {user_id} not found")
    collection = keys.bucketed_collection_pk(principal.tenant_id, TESTER_SCHEDULE, user_id)
    days = Item.gsi2sk.between(first.isoformat(), f"{last.isoformat()}~")  # "~" sorts after "#…" of the last day
    page = fetch_page(lambda start: ScheduleEntryItem.gsi2.query(collection, days, limit=limit, page_size=limit,
                                                                 last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id,
                      query=f"fieldwork:schedule:{user_id}:{first}:{last}")
    return WorkOrderList(data=[WorkOrderOut.model_validate(entry.summary) for entry in page.items
                               if isinstance(entry, ScheduleEntryItem)], next_cursor=page.next_cursor)


def update_work_order(principal: Principal, work_order_id: str, change: WorkOrderUpdate, expected_version: int,
                      info: RequestInfo) -> tuple[WorkOrderOut, int]:
    """A draft or scheduled order's assemblies (its customer's), line items or notes."""
    state = load_for_change(principal.tenant_id, work_order_id)
    order = state.order
    lifecycle.check(order.status, "update")
    records.check_version(order, expected_version)
    if change.assembly_ids is not None:
        _, assemblies = read_customer_and_assemblies(principal.tenant_id, None, change.assembly_ids)
        _check_assemblies(order.customer_id, change.assembly_ids, assemblies)
    assembly_ids = change.assembly_ids or list(order.assembly_ids)
    if change.line_items is not None:
        check_line_items(change.line_items, assembly_ids)
    else:  # the items kept must still be for assemblies the order lists
        kept = [LineItem.model_validate(item) for item in order.line_items]
        check_line_items(kept, assembly_ids, blame_assemblies=True)
    records.apply(order, change)
    return write(uow_of(principal, info), state, "updated", WORK_ORDER.updated)


def delete_work_order(principal: Principal, work_order_id: str, info: RequestInfo) -> None:
    state = load_for_change(principal.tenant_id, work_order_id)
    lifecycle.check(state.order.status, "delete")
    uow = uow_of(principal, info)
    _count(uow, state.order, -1, NotFound(f"work order {work_order_id} not found"))
    write(uow, state, "deleted", WORK_ORDER.deleted)
