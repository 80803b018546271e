"""Test gauges: create, read, list, change (a new calibration), delete. A serial is unique in the tenant (409)."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.events import GAUGE
from atrium.apps.fieldwork.gauges.models import SERIAL_FIELD, GaugeItem
from atrium.apps.fieldwork.gauges.schemas import GaugeChanged, GaugeCreate, GaugeList, GaugeOut, GaugeUpdate
from atrium.apps.fieldwork.records import Change
from atrium.kernel import ids
from atrium.kernel.errors import Conflict
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def load_gauge(tenant_id: str, gauge_id: str, *, consistent: bool = False) -> GaugeItem:
    return records.load(GaugeItem, "gau", tenant_id, gauge_id, consistent=consistent)


def _taken(gauge: GaugeItem) -> Conflict:
    return Conflict(f"a gauge with serial {gauge.serial} exists already")


def _write(uow: UnitOfWork, gauge: GaugeItem, change: Change) -> tuple[GaugeOut, int]:
    records.commit(uow, gauge, change, GAUGE.of(change), gauge.serial, GaugeChanged)
    return records.shown(GaugeOut, gauge), gauge.version or 0


def create_gauge(principal: Principal, body: GaugeCreate, info: RequestInfo) -> tuple[GaugeOut, int]:
    gauge = GaugeItem(tenant_id=principal.tenant_id, id=ids.new_id("gau"), **body.model_dump(mode="json"))
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.claim_unique(SERIAL_FIELD, gauge.serial_key(), owner_id=gauge.id, conflict=_taken(gauge))
    return _write(uow, gauge, "created")


def get_gauge(principal: Principal, gauge_id: str) -> tuple[GaugeOut, int]:
    gauge = load_gauge(principal.tenant_id, gauge_id)
    return records.shown(GaugeOut, gauge), gauge.version or 0


def list_gauges(principal: Principal, *, limit: int, cursor: str | None) -> GaugeList:
    """Oldest first."""
    page = collection_page(GaugeItem, principal.tenant_id, limit=limit, cursor=cursor, query="fieldwork:gauges")
    return GaugeList(data=[records.shown(GaugeOut, g) for g in page.items], next_cursor=page.next_cursor)


def update_gauge(principal: Principal, gauge_id: str, change: GaugeUpdate, expected_version: int,
                 info: RequestInfo) -> tuple[GaugeOut, int]:
    gauge = load_gauge(principal.tenant_id, gauge_id, consistent=True)
    records.check_version(gauge, expected_version)
    held = gauge.serial_key()
    records.apply(gauge, change)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    records.hold_unique(uow, SERIAL_FIELD, gauge.serial_key(), held=held, owner_id=gauge.id,
                        conflict=_taken(gauge))
    return _write(uow, gauge, "updated")


def delete_gauge(principal: Principal, gauge_id: str, info: RequestInfo) -> None:
    gauge = load_gauge(principal.tenant_id, gauge_id, consistent=True)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.release_unique(SERIAL_FIELD, gauge.serial_key(), owner_id=gauge.id)
    _write(uow, gauge, "deleted")
