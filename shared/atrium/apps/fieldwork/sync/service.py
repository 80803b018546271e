"""The field sync: one page of the caller's open work orders, their assemblies, sites and last signed reports, as
they changed since the device's position (``position.py``).

A page is three calls: one Query of the caller's open orders (the schedule entries on its gsi1 collection, by order
id, up to ``PAGE_ORDERS``, and no further than ``PAGE_ASSEMBLIES`` assemblies), one consistent BatchGetItem of the
orders and their assemblies, and one of the assemblies' sites and last reports; each stays within BatchGetItem's 100
keys. A caller who is no tester has no open orders: its sync is empty.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.assemblies.service import shown as shown_assembly
from atrium.apps.fieldwork.customers.models import SiteItem
from atrium.apps.fieldwork.customers.schemas import SiteOut
from atrium.apps.fieldwork.reports.models import ReportItem
from atrium.apps.fieldwork.reports.schemas import ReportOut
from atrium.apps.fieldwork.sync.position import MARGIN, Position, opened, seal
from atrium.apps.fieldwork.sync.schemas import (
    FieldSync,
    SyncedAssembly,
    SyncedReport,
    SyncedSite,
    SyncedWorkOrder,
)
from atrium.apps.fieldwork.workorders.models import OPEN, TESTER_OPEN_ORDERS, ScheduleEntryItem, WorkOrderItem
from atrium.apps.fieldwork.workorders.store import shown as shown_order
from atrium.kernel import clock
from atrium.kernel.http.dependencies import etag
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.tenancy import Principal

V = TypeVar("V", bound=BaseModel)
PAGE_ORDERS = 25
PAGE_ASSEMBLIES = 50  # with as many sites and last reports, the second BatchGetItem's 100 keys


@dataclass
class _Page:
    """What a page read: the caller's open orders it found, and the records it offered the device (which has each
    at its version after the page) and those it sends."""

    position: Position
    seen: list[str] = field(default_factory=list)
    offered: dict[str, TenantEntity] = field(default_factory=dict)
    sent: dict[str, TenantEntity] = field(default_factory=dict)

    def offer(self, record: TenantEntity, *, whole: bool = False) -> bool:
        """Send ``record`` unless the device has it as it is (``whole``: send it anyway, for an order the device
        gets whole); whether it is sent."""
        position, version = self.position, record.version or 0
        self.offered[record.id] = record
        if position.known.get(record.id) == version:
            return False  # the device has it by an earlier page of this sync
        changed = position.since is None or (record.updated_at > position.since
                                             and position.sent.get(record.id) != version)
        if whole or changed:
            self.sent[record.id] = record
        return record.id in self.sent


def _open_orders(principal: Principal, after: str | None) -> tuple[list[ScheduleEntryItem], bool]:
    """The caller's next open orders (their schedule entries) after ``after``, and whether more follow."""
    collection = keys.bucketed_collection_pk(principal.tenant_id, TESTER_OPEN_ORDERS, principal.id)
    results = ScheduleEntryItem.gsi1.query(collection, Item.gsi1sk > after if after else None, limit=PAGE_ORDERS,
                                           page_size=PAGE_ORDERS)
    entries = [entry for entry in results if isinstance(entry, ScheduleEntryItem)]
    more = results.last_evaluated_key is not None
    taken: list[ScheduleEntryItem] = []
    assemblies = 0
    for entry in entries:
        assemblies += len(entry.summary["assembly_ids"])
        if taken and assemblies > PAGE_ASSEMBLIES:
            return taken, True
        taken.append(entry)
    return taken, more


def _read(tenant_id: str, wanted: Iterable[tuple[type[TenantEntity], str]]) -> dict[str, TenantEntity]:
    """The records that exist, by id, in one consistent BatchGetItem (none for nothing wanted)."""
    item_keys = list(dict.fromkeys((keys.entity_pk(tenant_id, model.type_name(), item_id), keys.ENTITY_SK)
                                   for model, item_id in wanted))
    found = Item.batch_get(item_keys, consistent_read=True) if item_keys else []
    return {item.id: item for item in found if isinstance(item, TenantEntity)}


def field_sync(principal: Principal, since: str | None) -> FieldSync:
    position = opened(since, principal)
    if position.started is None:
        position = position.model_copy(update={"started": clock.now()})
    entries, more = _open_orders(principal, position.after)
    asked = {entry.work_order_id: set(entry.summary["assembly_ids"]) for entry in entries}
    first = _read(principal.tenant_id, [(WorkOrderItem, order_id) for order_id in asked]
                  + [(AssemblyItem, assembly_id) for ids in asked.values() for assembly_id in ids])
    page, kept, whole = _Page(position), set[str](), set[str]()
    for order_id, assembly_ids in asked.items():
        order = first.get(order_id)
        if not isinstance(order, WorkOrderItem) or order.tester_id != principal.id or order.status not in OPEN:
            continue  # changed since the index was written: no longer the caller's
        page.seen.append(order.id)
        if not set(order.assembly_ids) <= assembly_ids:
            continue  # its assemblies changed since: it changed just now, so the next sync sends it whole
        kept.update(order.assembly_ids)
        if page.offer(order, whole=order.id not in position.held):  # a changed or new order comes whole
            whole.update(order.assembly_ids)
    assemblies = [item for item in first.values() if isinstance(item, AssemblyItem) and item.id in kept]
    for assembly in assemblies:
        page.offer(assembly, whole=assembly.id in whole)
    second = _read(principal.tenant_id, [(SiteItem, assembly.site_id) for assembly in assemblies]
                   + [(ReportItem, assembly.last_report_id) for assembly in assemblies if assembly.last_report_id])
    for assembly in assemblies:
        for related_id in (assembly.site_id, assembly.last_report_id):
            if related_id in second:
                page.offer(second[related_id], whole=assembly.id in whole)
    return _answer(principal, page, entries[-1].work_order_id if entries else position.after, more)


def _synced(schema: type[V], shown: BaseModel, record: TenantEntity) -> V:
    return schema.model_validate(shown.model_dump() | {"etag": etag(record.version or 0)})


def _answer(principal: Principal, page: _Page, after: str | None, more: bool) -> FieldSync:
    """The page's records, the orders to drop (at the end of the sync) and where the device stands after it."""
    position, sent = page.position, list(page.sent.values())
    assert position.started is not None
    recent = {record.id: record.version or 0 for record in page.offered.values()
              if record.updated_at > position.started - MARGIN}
    going_on = position.model_copy(update={"after": after, "seen": [*position.seen, *page.seen],
                                           "known": position.known | recent})
    removed = [] if more else [order_id for order_id in position.held if order_id not in going_on.seen]
    return FieldSync(
        work_orders=[_synced(SyncedWorkOrder, shown_order(r)[0], r) for r in sent if isinstance(r, WorkOrderItem)],
        assemblies=[_synced(SyncedAssembly, shown_assembly(r), r) for r in sent if isinstance(r, AssemblyItem)],
        sites=[_synced(SyncedSite, records.shown(SiteOut, r), r) for r in sent if isinstance(r, SiteItem)],
        reports=[_synced(SyncedReport, records.shown(ReportOut, r), r) for r in sent if isinstance(r, ReportItem)],
        removed=removed, has_more=more, next_cursor=seal(going_on if more else going_on.next_sync(), principal))
