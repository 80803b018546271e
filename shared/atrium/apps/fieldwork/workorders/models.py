"""Work order items. A work order is its own entity (``T#<tenant>#WorkOrder#wo_…``), listed on gsi1 (the tenant's,
oldest first) and on its customer's gsi2 collection. While it has a tester and a day (and is not canceled), a
schedule entry in its partition carries it as the API shows it on its tester's gsi2 collection, sorted by day and
window, so a tester's days are one Query a page; while the order is open (scheduled or in progress) the entry is on
its tester's gsi1 collection too, by order id, which the field sync (``sync/``) reads. Notes are free text, screened
for personal data as they are written and stored encrypted, in the order and in its entry's summary."""

from pynamodb.attributes import JSONAttribute, ListAttribute, UnicodeAttribute

from atrium.compliance.api import free_text
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import personal

WORK_ORDER = "WorkOrder"
CUSTOMER_WORK_ORDERS = "CustomerWorkOrders"
TESTER_SCHEDULE = "TesterSchedule"
TESTER_OPEN_ORDERS = "TesterOpenOrders"
OPEN = frozenset({"scheduled", "in_progress"})  # the visit is to come or under way: its tester's device keeps it


class WorkOrderItem(TenantEntity, discriminator=WORK_ORDER):
    customer_id = UnicodeAttribute()
    assembly_ids = ListAttribute[str](default=list)
    line_items = JSONAttribute(default=list)  # [{kind, description, quantity, unit_price_cents, assembly_id}]
    notes = free_text(UnicodeAttribute(default=""))
    status = UnicodeAttribute(default="draft")
    scheduled_on = UnicodeAttribute(null=True)  # ISO YYYY-MM-DD
    window = JSONAttribute(null=True)  # {start, end}: times of day, HH:MM
    tester_id = UnicodeAttribute(null=True)
    invoice_id = UnicodeAttribute(null=True)
    started_at = UnicodeAttribute(null=True)  # ISO-8601 UTC, as each status was reached
    completed_at = UnicodeAttribute(null=True)
    canceled_at = UnicodeAttribute(null=True)
    invoiced_at = UnicodeAttribute(null=True)
    closed_at = UnicodeAttribute(null=True)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, CUSTOMER_WORK_ORDERS, self.customer_id)
        self.gsi2sk = self.id


class ScheduleEntryItem(Item, discriminator="WorkOrderSchedule"):
    """The order on its tester's schedule (sk ``WorkOrderSchedule``, one per order), rewritten in each of the
    order's transactions (``kernel/store/projections.py``)."""

    tenant_id = UnicodeAttribute()
    work_order_id = UnicodeAttribute()
    tester_id = UnicodeAttribute()
    scheduled_on = UnicodeAttribute()
    window_start = UnicodeAttribute()
    status = UnicodeAttribute(null=True)  # the order's
    summary = personal(JSONAttribute())  # the order as the API showed it when the entry was written (its notes)

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, WORK_ORDER, self.work_order_id)
        self.sk = self.type_name()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, TESTER_SCHEDULE, self.tester_id)
        self.gsi2sk = schedule_sort_key(self.scheduled_on, self.window_start, self.work_order_id)
        # A sparse index: an order that is done (or invoiced, closed) leaves its tester's open orders.
        is_open = self.status in OPEN
        self.gsi1pk = keys.bucketed_collection_pk(self.tenant_id, TESTER_OPEN_ORDERS, self.tester_id) if is_open \
            else None
        self.gsi1sk = self.work_order_id if is_open else None


def schedule_sort_key(day: str, window_start: str, work_order_id: str) -> str:
    """By day, then the window's start, then the order: ``2026-12-03#08:00#wo_…``."""
    return f"{day}#{window_start}#{work_order_id}"
