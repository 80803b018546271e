"""Assemblies: create on a site, read, change, delete. Its serial is unique on its site (409); its
site and district count it, so neither is deleted from under it. Its status is stored as of each write and shown as
of the day it is read."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.due_dates import next_due, status_of
from atrium.apps.fieldwork.assemblies.models import SERIAL_FIELD, AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import (
    AssemblyChanged,
    AssemblyCreate,
    AssemblyOut,
    AssemblyUpdate,
    DueStatus,
)
from atrium.apps.fieldwork.customers.models import SiteItem
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.events import ASSEMBLY
from atrium.apps.fieldwork.records import Change
from atrium.apps.fieldwork.reminders import series
from atrium.apps.fieldwork.reminders.models import ReminderItem
from atrium.kernel import clock, ids
from atrium.kernel.errors import AtriumError, Conflict, NotFound, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
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


def status_today(assembly: AssemblyItem) -> DueStatus:
    return status_of(assembly.next_due_date, clock.now().date())


def shown(assembly: AssemblyItem) -> AssemblyOut:
    """The assembly as the API shows it, its status as of today (the stored one may wait for the daily job)."""
    return records.shown(AssemblyOut, assembly).model_copy(update={"status": status_today(assembly)})


def name_of(assembly: AssemblyItem) -> str:
    return f"{assembly.type} {assembly.serial}"


def _write(uow: UnitOfWork, assembly: AssemblyItem, change: Change) -> tuple[AssemblyOut, int]:
    assembly.status = status_today(assembly).value
    records.commit(uow, assembly, change, ASSEMBLY.of(change), name_of(assembly), AssemblyChanged)
    return shown(assembly), assembly.version or 0


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
    series.start(uow, assembly, None, clock.now().date())
    return _write(uow, assembly, "created")


def get_assembly(principal: Principal, assembly_id: str) -> tuple[AssemblyOut, int]:
    assembly = load_assembly(principal.tenant_id, assembly_id)
    records.check_customer(principal, assembly.customer_id, AssemblyItem, assembly_id)
    return shown(assembly), assembly.version or 0


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
    uow.discard(ReminderItem.of(assembly))
    _count(uow, assembly, -1, NotFound(f"assembly {assembly.id} not found"))
    _write(uow, assembly, "deleted")
