"""Water districts: create, read, list, change, delete. A district assemblies report to is not deleted (409)."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.districts.schemas import (
    DistrictChanged,
    DistrictCreate,
    DistrictList,
    DistrictOut,
    DistrictUpdate,
)
from atrium.apps.fieldwork.events import DISTRICT
from atrium.apps.fieldwork.records import Change
from atrium.kernel import ids
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def load_district(tenant_id: str, district_id: str, *, consistent: bool = False) -> DistrictItem:
    return records.load(DistrictItem, "dst", tenant_id, district_id, consistent=consistent)


def _write(principal: Principal, info: RequestInfo, district: DistrictItem, change: Change) -> tuple[DistrictOut, int]:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    records.commit(uow, district, change, DISTRICT.of(change), district.name, DistrictChanged)
    return records.shown(DistrictOut, district), district.version or 0


def create_district(principal: Principal, body: DistrictCreate, info: RequestInfo) -> tuple[DistrictOut, int]:
    district = DistrictItem(tenant_id=principal.tenant_id, id=ids.new_id("dst"), **body.model_dump(mode="json"))
    return _write(principal, info, district, "created")


def get_district(principal: Principal, district_id: str) -> tuple[DistrictOut, int]:
    district = load_district(principal.tenant_id, district_id)
    return records.shown(DistrictOut, district), district.version or 0


def list_districts(principal: Principal, *, limit: int, cursor: str | None) -> DistrictList:
    """Oldest first."""
    page = collection_page(DistrictItem, principal.tenant_id, limit=limit, cursor=cursor, query="fieldwork:districts")
    return DistrictList(data=[records.shown(DistrictOut, d) for d in page.items], next_cursor=page.next_cursor)


def update_district(principal: Principal, district_id: str, change: DistrictUpdate, expected_version: int,
                    info: RequestInfo) -> tuple[DistrictOut, int]:
    district = load_district(principal.tenant_id, district_id, consistent=True)
    records.check_version(district, expected_version)
    records.apply(district, change)
    return _write(principal, info, district, "updated")


def delete_district(principal: Principal, district_id: str, info: RequestInfo) -> None:
    district = load_district(principal.tenant_id, district_id, consistent=True)
    records.check_childless(district, district.assembly_count, "assemblies")
    _write(principal, info, district, "deleted")
