"""A work order's lifecycle moves (``lifecycle.py`` says from which statuses) and the tester's writes from the field.

Every move carries If-Match: a stale one, from a tablet that reconnects after the order changed, is a 412. The visit
(start, line items, complete) is the assigned tester's, or of whoever may also schedule orders (the office). Being
invoiced is the invoice's doing: ``mark_invoiced`` adds the move to the invoice's own transaction.
"""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.certifications.service import check_tester
from atrium.apps.fieldwork.events import (
    WORK_ORDER,
    WORK_ORDER_CANCELED,
    WORK_ORDER_CLOSED,
    WORK_ORDER_COMPLETED,
    WORK_ORDER_INVOICED,
    WORK_ORDER_REOPENED,
    WORK_ORDER_SCHEDULED,
    WORK_ORDER_STARTED,
)
from atrium.apps.fieldwork.workorders import lifecycle
from atrium.apps.fieldwork.workorders.lifecycle import Change
from atrium.apps.fieldwork.workorders.models import WorkOrderItem
from atrium.apps.fieldwork.workorders.schemas import LineItemsChange, ScheduleChange, Status, WorkOrderOut
from atrium.apps.fieldwork.workorders.service import check_line_items, uow_of
from atrium.apps.fieldwork.workorders.store import WorkOrderState, load_for_change, shown, stage, write
from atrium.kernel import clock
from atrium.kernel.errors import Forbidden
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal

SCHEDULE = "work_orders:schedule"
_EVENTS: dict[Change, EventType] = {"schedule": WORK_ORDER_SCHEDULED, "start": WORK_ORDER_STARTED,
                                    "complete": WORK_ORDER_COMPLETED, "cancel": WORK_ORDER_CANCELED,
                                    "close": WORK_ORDER_CLOSED, "invoice": WORK_ORDER_INVOICED,
                                    "reopen": WORK_ORDER_REOPENED}
_STAMPS: dict[Change, str] = {"start": "started_at", "complete": "completed_at", "cancel": "canceled_at",
                              "close": "closed_at", "invoice": "invoiced_at"}
_IN_THE_FIELD = frozenset({"start", "record_line_items", "complete"})


def _check_performer(principal: Principal, order: WorkOrderItem) -> None:
    if principal.id != order.tester_id and not principal.can(SCHEDULE):
        raise Forbidden("only the order's tester (or whoever schedules orders) does its visit")


def _for_change(principal: Principal, work_order_id: str, change: Change, expected_version: int) -> WorkOrderState:
    """The order, if its status allows ``change`` (409), the caller may make it (403) and If-Match holds (412)."""
    state = load_for_change(principal.tenant_id, work_order_id)
    lifecycle.check(state.order.status, change)
    if change in _IN_THE_FIELD:
        _check_performer(principal, state.order)
    records.check_version(state.order, expected_version)
    return state


def _moved(order: WorkOrderItem, change: Change) -> EventType:
    """Set the status ``change`` leads to (and the time it was reached); the event that says so."""
    order.status = lifecycle.TO[change]
    if change in _STAMPS:
        setattr(order, _STAMPS[change], clock.iso(clock.now()))
    return _EVENTS[change]


def move(principal: Principal, work_order_id: str, change: Change, expected_version: int,
         info: RequestInfo) -> tuple[WorkOrderOut, int]:
    """Start, complete, cancel or close the order."""
    state = _for_change(principal, work_order_id, change, expected_version)
    return write(uow_of(principal, info), state, "updated", _moved(state.order, change))


def schedule(principal: Principal, work_order_id: str, body: ScheduleChange, expected_version: int,
             info: RequestInfo) -> tuple[WorkOrderOut, int]:
    """Give a draft (or scheduled) order its day, window and tester (422 naming ``body.tester_id`` unless an active
    member holding the tester role)."""
    state = _for_change(principal, work_order_id, "schedule", expected_version)
    check_tester(principal.tenant_id, body.tester_id, field="body.tester_id", detail="a work order goes to a tester")
    order = state.order
    order.scheduled_on, order.window, order.tester_id = (body.scheduled_on.isoformat(),
                                                         body.window.model_dump(mode="json"), body.tester_id)
    return write(uow_of(principal, info), state, "updated", _moved(order, "schedule"))


def record_line_items(principal: Principal, work_order_id: str, body: LineItemsChange, expected_version: int,
                      info: RequestInfo) -> tuple[WorkOrderOut, int]:
    """Replace the line items of an order in progress with what the visit took (tests, repairs, parts)."""
    state = _for_change(principal, work_order_id, "record_line_items", expected_version)
    check_line_items(body.line_items, list(state.order.assembly_ids))
    state.order.line_items = [item.model_dump(mode="json") for item in body.line_items]
    return write(uow_of(principal, info), state, "updated", WORK_ORDER.updated)


def mark_invoiced(uow: UnitOfWork, work_order_id: str, invoice_id: str) -> WorkOrderOut:
    """Move a completed order to invoiced by ``invoice_id``, in ``uow`` (the invoice's transaction, which commits it):
    the order is saved at the version read now, so a change meanwhile fails the invoice too (412). 404 for no such
    order, 409 unless completed."""
    state = load_for_change(uow.tenant_id, work_order_id)
    lifecycle.check(state.order.status, "invoice")
    state.order.invoice_id = invoice_id
    stage(uow, state, "updated", _moved(state.order, "invoice"))
    return shown(state.order)[0]


def reopen_for_invoicing(uow: UnitOfWork, work_order_id: str, invoice_id: str) -> None:
    """The order ``invoice_id`` invoiced back to completed, in ``uow`` (the void's transaction), so it is invoiced
    again; nothing when it was closed meanwhile (its billing is over) or is another invoice's."""
    state = load_for_change(uow.tenant_id, work_order_id)
    if state.order.status != Status.INVOICED or state.order.invoice_id != invoice_id:
        return
    state.order.invoice_id = state.order.invoiced_at = None
    stage(uow, state, "updated", _moved(state.order, "reopen"))
