"""Assemblies: create on a site, read, list a site's, change, delete. Its serial is unique on its site (409); its
site and district count it, so neither is deleted from under it."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.due_dates import next_due
from atrium.apps.fieldwork.assemblies.models import SERIAL_FIELD, SITE_ASSEMBLIES, AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import (
    AssemblyChanged,
    AssemblyCreate,
    AssemblyList,
    AssemblyOut,
    AssemblyUpdate,
)
from atrium.apps.fieldwork.customers.models import SiteItem
from atrium.apps.fieldwork.customers.service import load_site
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.events import ASSEMBLY
from atrium.apps.fieldwork.records import Change
from atrium.kernel import ids
from atrium.kernel.errors import AtriumError, Conflict, NotFound, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def load_assembly(tenant_id: str, assembly_id: str, *, consistent: bool = False) -> AssemblyItem:
    return records.load(AssemblyItem, "asm", tenant_id, assembly_id, consistent=consistent)


def _no_district(district_id: str) -> Unprocessable:
    return Unprocessable("no such water district", errors=[
        {"field": "body.district_id", "message": f"no district {district_id} in this tenant", "code": "not_found"}])


def _site_and_district(tenant_id: str, site_id: str, district_id: str) -> tuple[SiteItem, DistrictItem]:
    """Both in one BatchGetItem: a missing site is a 404 (it is in the path), a missing district a 422."""
    if not ids.is_valid_id(site_id, "sit"):
        raise records.not_found(SiteItem, site_id)
    if not ids.is_valid_id(district_id, "dst"):
        raise _no_district(district_id)
    wanted = [(keys.entity_pk(tenant_id, SiteItem.type_name(), site_id), keys.ENTITY_SK),
              (keys.entity_pk(tenant_id, DistrictItem.type_name(), district_id), keys.ENTITY_SK)]
    found = list(Item.batch_get(wanted))
    site = next((item for item in found if isinstance(item, SiteItem)), None)
    district = next((item for item in found if isinstance(item, DistrictItem)), None)
    if site is None:
        raise records.not_found(SiteItem, site_id)
    if district is None:
        raise _no_district(district_id)
    return site, district


def _taken(assembly: AssemblyItem) -> Conflict:
    return Conflict(f"site {assembly.site_id} already has an assembly with serial {assembly.serial}")


def _count(uow: UnitOfWork, assembly: AssemblyItem, by: int, gone: AtriumError) -> None:
    """Count the assembly on (or off) its site and its district."""
    site = SiteItem(tenant_id=assembly.tenant_id, id=assembly.site_id, customer_id=assembly.customer_id)
    records.count_child(uow, site, SiteItem.assembly_count, by, missing=gone)
    district = DistrictItem(tenant_id=assembly.tenant_id, id=assembly.district_id)
    records.count_child(uow, district, DistrictItem.assembly_count, by, missing=gone)


def _write(uow: UnitOfWork, assembly: AssemblyItem, change: Change) -> tuple[AssemblyOut, int]:
    records.commit(uow, assembly, change, ASSEMBLY.of(change), f"{assembly.type} {assembly.serial}", AssemblyChanged)
    return records.shown(AssemblyOut, assembly), assembly.version or 0


def create_assembly(principal: Principal, site_id: str, body: AssemblyCreate,
                    info: RequestInfo) -> tuple[AssemblyOut, int]:
    site, district = _site_and_district(principal.tenant_id, site_id, body.district_id)
    last_test = body.last_test_date
    due = None if last_test is None else next_due(last_test, int(district.test_interval_months)).isoformat()
    assembly = AssemblyItem(
        tenant_id=principal.tenant_id, id=ids.new_id("asm"), site_id=site.id, customer_id=site.customer_id,
        next_due_date=due,
        **body.model_dump(mode="json"))
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.claim_unique(SERIAL_FIELD, assembly.serial_key(), owner_id=assembly.id, conflict=_taken(assembly))
    _count(uow, assembly, 1, Conflict("the site or the district was deleted meanwhile"))
    return _write(uow, assembly, "created")


def get_assembly(principal: Principal, assembly_id: str) -> tuple[AssemblyOut, int]:
    assembly = load_assembly(principal.tenant_id, assembly_id)
    return records.shown(AssemblyOut, assembly), assembly.version or 0


def list_assemblies(principal: Principal, site_id: str, *, limit: int, cursor: str | None) -> AssemblyList:
    """Oldest first. The site is read first, so another tenant's site is a 404, not an empty list."""
    site = load_site(principal.tenant_id, site_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, SITE_ASSEMBLIES, site.id)
    page = fetch_page(lambda start: AssemblyItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                            last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:assemblies:{site.id}")
    return AssemblyList(data=[records.shown(AssemblyOut, a) for a in page.items if isinstance(a, AssemblyItem)],
                        next_cursor=page.next_cursor)


def update_assembly(principal: Principal, assembly_id: str, change: AssemblyUpdate, expected_version: int,
                    info: RequestInfo) -> tuple[AssemblyOut, int]:
    assembly = load_assembly(principal.tenant_id, assembly_id, consistent=True)
    records.check_version(assembly, expected_version)
    held = assembly.serial_key()
    records.apply(assembly, change)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    records.hold_unique(uow, SERIAL_FIELD, assembly.serial_key(), held=held, owner_id=assembly.id,
                        conflict=_taken(assembly))
    return _write(uow, assembly, "updated")


def delete_assembly(principal: Principal, assembly_id: str, info: RequestInfo) -> None:
    assembly = load_assembly(principal.tenant_id, assembly_id, consistent=True)
    records.check_childless(assembly, assembly.report_count, "test reports")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.release_unique(SERIAL_FIELD, assembly.serial_key(), owner_id=assembly.id)
    _count(uow, assembly, -1, NotFound(f"assembly {assembly.id} not found"))
    _write(uow, assembly, "deleted")
