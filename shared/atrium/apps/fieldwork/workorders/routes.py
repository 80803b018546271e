"""Work order routes: CRUD, the lifecycle's moves, the visit's line items, and the lists by customer and by tester."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.apps.fieldwork.routing import (
    CREATED,
    CUSTOMER_PATH,
    NOT_FOUND,
    READ_ONE,
    TESTER_SCHEDULE_PATH,
    UPDATED,
    WORK_ORDER_PATH,
    WORK_ORDERS_PATH,
)
from atrium.apps.fieldwork.workorders.schemas import (
    LineItemsChange,
    ScheduleChange,
    WorkOrderCreate,
    WorkOrderList,
    WorkOrderOut,
    WorkOrderUpdate,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.workorders import service as work_orders
    from atrium.apps.fieldwork.workorders import transitions
else:
    work_orders, transitions = lazy_modules("atrium.apps.fieldwork.workorders", "service", "transitions")

router = ContextRouter("fieldwork")
WRONG_STATUS = {409: {"description": "The order's status does not allow it (the problem's `work_order_status` "
                                     "names it)"}}
MOVED = {**UPDATED, **WRONG_STATUS}
IN_THE_FIELD = {**MOVED, 403: {"description": "Not the order's tester (nor one who may schedule orders)"}}
BAD_LINE_ITEMS = {422: {"description": "A line item for an assembly the order does not list"}}


@router.post(WORK_ORDERS_PATH, name="create_work_order", permission="work_orders:create", status_code=201,
             idempotent=True, grants=WRITE,
             responses={**CREATED, 422: {"description": "No such customer; an assembly that is not the customer's; "
                                                        "a line item for an assembly the order does not list"}})
def create_work_order(body: WorkOrderCreate, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> WorkOrderOut:
    """A draft work order for a customer's assemblies, with its line items (amounts and total computed)."""
    order, version = work_orders.create_work_order(principal, body, info)
    response.headers["Location"] = f"{WORK_ORDERS_PATH}/{order.id}"
    response.headers["ETag"] = etag(version)
    return order


@router.get(WORK_ORDERS_PATH, name="list_work_orders", permission="work_orders:read",
            grants={*READ, Grant.CURSOR_KEY_READ})
def list_work_orders(principal: CurrentPrincipal, paging: Paging) -> WorkOrderList:
    """The tenant's work orders, oldest first."""
    return work_orders.list_work_orders(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{CUSTOMER_PATH}/work-orders", name="list_customer_work_orders", permission="work_orders:read",
            scoped=True, grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_customer_work_orders(customer_id: str, principal: CurrentPrincipal, paging: Paging) -> WorkOrderList:
    """The customer's work orders, oldest first."""
    return work_orders.list_customer_work_orders(principal, customer_id, limit=paging.limit, cursor=paging.cursor)


@router.get(TESTER_SCHEDULE_PATH, name="get_tester_schedule", permission="work_orders:read",
            grants={*READ, Grant.CURSOR_KEY_READ},
            responses={**NOT_FOUND, 422: {"description": "`to` before `from`"}})
def get_tester_schedule(user_id: str, principal: CurrentPrincipal, paging: Paging,
                        first: Annotated[dt.date | None, Query(alias="from", description="The first day (default: "
                                                                                         "today, UTC)")] = None,
                        last: Annotated[dt.date | None, Query(alias="to", description="The last day (default: six "
                                                                                     "days after `from`)")] = None,
                        ) -> WorkOrderList:
    """The work orders a tester (an active member) is assigned, from one day to another, by day and window; canceled
    ones leave it."""
    return work_orders.tester_schedule(principal, user_id, first=first, last=last, limit=paging.limit,
                                       cursor=paging.cursor)


@router.get(WORK_ORDER_PATH, name="get_work_order", permission="work_orders:read", scoped=True, grants=READ,
            responses=READ_ONE)
def get_work_order(work_order_id: str, principal: CurrentPrincipal, response: Response) -> WorkOrderOut:
    """A work order. The ETag header is the version to send in If-Match."""
    order, version = work_orders.get_work_order(principal, work_order_id)
    response.headers["ETag"] = etag(version)
    return order


@router.patch(WORK_ORDER_PATH, name="update_work_order", permission="work_orders:update", grants=WRITE,
              responses={**MOVED, 422: {"description": "An assembly that is not the customer's; a line item for an "
                                                       "assembly the order does not list"}})
def update_work_order(work_order_id: str, body: WorkOrderUpdate, principal: CurrentPrincipal,
                      version: ExpectedVersion, info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Change a draft or scheduled order's assemblies, line items (all of them) or notes. Requires If-Match."""
    order, new_version = work_orders.update_work_order(principal, work_order_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return order


@router.delete(WORK_ORDER_PATH, name="delete_work_order", permission="work_orders:delete", status_code=204,
               grants=WRITE, responses={**NOT_FOUND, **WRONG_STATUS})
def delete_work_order(work_order_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """A draft work order (any other is kept: cancel it)."""
    work_orders.delete_work_order(principal, work_order_id, info)


@router.post(f"{WORK_ORDER_PATH}/schedule", name="schedule_work_order", permission="work_orders:schedule",
             grants=WRITE, responses={**MOVED, 422: {"description": "The tester is not an active member holding the "
                                                                    "tester role"}})
def schedule_work_order(work_order_id: str, body: ScheduleChange, principal: CurrentPrincipal,
                        version: ExpectedVersion, info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Schedule a draft order, or move a scheduled one: its day, window and tester. The customer's billing contact
    is emailed. Requires If-Match."""
    order, new_version = transitions.schedule(principal, work_order_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return order


@router.post(f"{WORK_ORDER_PATH}/start", name="start_work_order", permission="work_orders:perform", idempotent=True,
             grants=WRITE, responses=IN_THE_FIELD)
def start_work_order(work_order_id: str, principal: CurrentPrincipal, version: ExpectedVersion,
                     info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Start the visit of a scheduled order, as its tester. Requires If-Match."""
    order, new_version = transitions.move(principal, work_order_id, "start", version, info)
    response.headers["ETag"] = etag(new_version)
    return order


@router.put(f"{WORK_ORDER_PATH}/line-items", name="record_work_order_line_items", permission="work_orders:perform",
            idempotent=True, grants=WRITE, responses={**IN_THE_FIELD, **BAD_LINE_ITEMS})
def record_work_order_line_items(work_order_id: str, body: LineItemsChange, principal: CurrentPrincipal,
                                 version: ExpectedVersion, info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Record what the visit of an order in progress took (every line item), as its tester. Requires If-Match."""
    order, new_version = transitions.record_line_items(principal, work_order_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return order


@router.post(f"{WORK_ORDER_PATH}/complete", name="complete_work_order", permission="work_orders:perform",
             idempotent=True, grants=WRITE, responses=IN_THE_FIELD)
def complete_work_order(work_order_id: str, principal: CurrentPrincipal, version: ExpectedVersion,
                        info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Complete the visit of an order in progress, as its tester: it can be invoiced. Requires If-Match."""
    order, new_version = transitions.move(principal, work_order_id, "complete", version, info)
    response.headers["ETag"] = etag(new_version)
    return order


@router.post(f"{WORK_ORDER_PATH}/cancel", name="cancel_work_order", permission="work_orders:cancel", grants=WRITE,
             responses=MOVED)
def cancel_work_order(work_order_id: str, principal: CurrentPrincipal, version: ExpectedVersion,
                      info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Cancel a draft, scheduled or in-progress order; the customer is emailed if it had a day. Requires If-Match."""
    order, new_version = transitions.move(principal, work_order_id, "cancel", version, info)
    response.headers["ETag"] = etag(new_version)
    return order


@router.post(f"{WORK_ORDER_PATH}/close", name="close_work_order", permission="work_orders:close", grants=WRITE,
             responses=MOVED)
def close_work_order(work_order_id: str, principal: CurrentPrincipal, version: ExpectedVersion,
                     info: CurrentRequest, response: Response) -> WorkOrderOut:
    """Close an invoiced order. Requires If-Match."""
    order, new_version = transitions.move(principal, work_order_id, "close", version, info)
    response.headers["ETag"] = etag(new_version)
    return order
