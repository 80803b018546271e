"""Reading a work order for a change and writing the change: the order, its schedule entry, the audit entry and the
event, in one transaction.

A change reads the order with its schedule entry in one consistent Query of the order's partition, so the entry is
saved at the version it was read at (a concurrent change fails the whole transaction) and rewritten, moved to
another tester's or day's place, or deleted with the order's every change (``kernel/store/projections.py``).
"""

from dataclasses import dataclass, field

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.workorders.models import WORK_ORDER, ScheduleEntryItem, WorkOrderItem
from atrium.apps.fieldwork.workorders.schemas import Status, WorkOrderChanged, WorkOrderOut
from atrium.kernel import clock, ids
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.projections import rewrite_projections
from atrium.kernel.store.unit_of_work import UnitOfWork

PREFIX = "wo"


@dataclass
class WorkOrderState:
    """A work order as a change reads it: the item and its schedule entry (none while it has no tester and day)."""

    order: WorkOrderItem
    entries: list[ScheduleEntryItem] = field(default_factory=list)


def load_work_order(tenant_id: str, work_order_id: str) -> WorkOrderItem:
    return records.load(WorkOrderItem, PREFIX, tenant_id, work_order_id)


def load_for_change(tenant_id: str, work_order_id: str) -> WorkOrderState:
    """The order and its schedule entry, strongly consistent, in one Query (404 when there is no such order)."""
    if not ids.is_valid_id(work_order_id, PREFIX):
        raise records.not_found(WorkOrderItem, work_order_id)
    items = list(Item.query(keys.entity_pk(tenant_id, WORK_ORDER, work_order_id), consistent_read=True))
    order = next((item for item in items if isinstance(item, WorkOrderItem)), None)
    if order is None:
        raise records.not_found(WorkOrderItem, work_order_id)
    return WorkOrderState(order, [item for item in items if isinstance(item, ScheduleEntryItem)])


def name_of(order: WorkOrderItem) -> str:
    return f"work order of {order.scheduled_on}" if order.scheduled_on else "unscheduled work order"


def shown(order: WorkOrderItem) -> tuple[WorkOrderOut, int]:
    """The order as the API shows it, and its version (the ETag)."""
    return records.shown(WorkOrderOut, order), order.version or 0


def schedule_entries(order: WorkOrderItem) -> list[ScheduleEntryItem]:
    """Where the order is on a tester's schedule: nowhere before it is scheduled or once it is canceled."""
    if order.tester_id is None or order.scheduled_on is None or order.window is None \
            or order.status == Status.CANCELED:
        return []
    return [ScheduleEntryItem(tenant_id=order.tenant_id, work_order_id=order.id, tester_id=order.tester_id,
                              scheduled_on=order.scheduled_on, window_start=order.window["start"], status=order.status,
                              summary=records.shown(WorkOrderOut, order).model_dump(mode="json"))]


def stage(uow: UnitOfWork, state: WorkOrderState, change: records.Change, event: EventType) -> None:
    """Add the order as it now stands (created, saved or deleted), its schedule entry, the audit entry and ``event``
    to ``uow`` (which may hold other items), without committing."""
    order = state.order
    order.updated_at = clock.now()  # before the entry copies the order
    records.stage(uow, order, change, event, name_of(order), WorkOrderChanged)  # first: its notes as stored
    wanted = [] if change == "deleted" else schedule_entries(order)
    rewrite_projections(uow, state.entries, wanted, key=lambda entry: entry.work_order_id)


def write(uow: UnitOfWork, state: WorkOrderState, change: records.Change,
          event: EventType) -> tuple[WorkOrderOut, int]:
    """``stage`` and commit: the order as the API now shows it, and its version."""
    stage(uow, state, change, event)
    uow.commit()
    return shown(state.order)
