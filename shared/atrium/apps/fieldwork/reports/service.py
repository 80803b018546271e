"""Test reports: made by a tester for an assembly (a draft, its result computed from the readings), read, listed by
assembly, changed or deleted while a draft. A failed first test may be followed, on the same report, by repairs and
a retest, whose result is the one that counts. A signed report does not change: a correction is a new report
amending it."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import AssemblyType
from atrium.apps.fieldwork.assemblies.service import load_assembly
from atrium.apps.fieldwork.events import REPORT_CREATED, REPORT_DELETED, REPORT_UPDATED
from atrium.apps.fieldwork.reports import rules
from atrium.apps.fieldwork.reports.models import ASSEMBLY_REPORTS, SIGNED, ReportItem
from atrium.apps.fieldwork.reports.schemas import (
    Readings,
    ReportChanged,
    ReportCreate,
    ReportList,
    ReportOut,
    ReportUpdate,
    Result,
)
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, Forbidden, Unprocessable
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def load_report(tenant_id: str, report_id: str, *, consistent: bool = False) -> ReportItem:
    return records.load(ReportItem, "rpt", tenant_id, report_id, consistent=consistent)


def name_of(report: ReportItem) -> str:
    return f"{report.assembly_type} test of {report.tested_on}"


def write(uow: UnitOfWork, report: ReportItem, event: EventType) -> tuple[ReportOut, int]:
    """Record ``event`` on the report as it now stands (with whatever else ``uow`` holds) and commit."""
    change: records.Change = "created" if event is REPORT_CREATED else "deleted" if event is REPORT_DELETED \
        else "updated"
    records.commit(uow, report, change, event, name_of(report), ReportChanged)
    return records.shown(ReportOut, report), report.version or 0


def _of_type(report: ReportItem, readings: Readings, field: str) -> dict[str, float | bool]:
    """``readings`` as stored, if they are the assembly type's (422 naming ``field`` otherwise)."""
    expected = rules.READINGS_OF[AssemblyType(report.assembly_type)]
    if not isinstance(readings, expected):
        raise Unprocessable(f"these are not an {report.assembly_type} assembly's readings", errors=[
            {"field": field, "message": f"give {', '.join(expected.model_fields)}", "code": "wrong_type"}])
    stored: dict[str, float | bool] = readings.model_dump(mode="json")
    return stored


def _failures(report: ReportItem, stored: dict[str, float | bool]) -> list[str]:
    return rules.failures(rules.READINGS_OF[AssemblyType(report.assembly_type)].model_validate(stored))


def _score(report: ReportItem) -> None:
    """Compute the first test's result and the one that counts (the retest's, when there is one) from the readings
    as the draft now holds them; a retest needs a failed first test and a repair (422 otherwise)."""
    first = _failures(report, report.readings)
    report.initial_failures, report.initial_result = first, Result.FAILED if first else Result.PASSED
    if report.retest_readings is None:
        report.failures, report.result = first, report.initial_result
        return
    if not first:
        raise Unprocessable("only a failed test is retested", errors=[
            {"field": "body.retest_readings", "message": "the first test passed", "code": "not_failed"}])
    if not report.repairs:
        raise Unprocessable("a retest follows repairs: list what was repaired or replaced", errors=[
            {"field": "body.repairs", "message": "list the repairs made before the retest", "code": "no_repairs"}])
    retest = _failures(report, report.retest_readings)
    report.failures, report.result = retest, Result.FAILED if retest else Result.PASSED


def _take(report: ReportItem, readings: Readings | None, retest: Readings | None) -> None:
    if readings is not None:
        report.readings = _of_type(report, readings, "body.readings")
    if retest is not None:
        report.retest_readings = _of_type(report, retest, "body.retest_readings")
    _score(report)


def _assembly_and_amended(tenant_id: str, assembly_id: str, amends: str | None) -> AssemblyItem:
    """The assembly (404), and the report ``amends`` names checked: a signed report of the same assembly (422)."""
    if amends is None:
        return load_assembly(tenant_id, assembly_id)
    assembly_key = keys.entity_pk(tenant_id, AssemblyItem.type_name(), assembly_id) \
        if ids.is_valid_id(assembly_id, "asm") else None
    amended_key = keys.entity_pk(tenant_id, ReportItem.type_name(), amends) if ids.is_valid_id(amends, "rpt") else None
    found = list(Item.batch_get([(key, keys.ENTITY_SK) for key in (assembly_key, amended_key) if key]))
    assembly = next((item for item in found if isinstance(item, AssemblyItem)), None)
    if assembly is None:
        raise records.not_found(AssemblyItem, assembly_id)
    amended = next((item for item in found if isinstance(item, ReportItem)), None)
    if amended is None or amended.assembly_id != assembly.id or amended.status != SIGNED:
        raise Unprocessable("only a signed report of the same assembly is amended", errors=[
            {"field": "body.amends", "message": "not a signed report of this assembly", "code": "not_amendable"}])
    return assembly


def create_report(principal: Principal, assembly_id: str, body: ReportCreate,
                  info: RequestInfo) -> tuple[ReportOut, int]:
    """A draft by the caller, its tester."""
    assembly = _assembly_and_amended(principal.tenant_id, assembly_id, body.amends)
    report = ReportItem(tenant_id=principal.tenant_id, id=ids.new_id("rpt"), assembly_id=assembly.id,
                        site_id=assembly.site_id, customer_id=assembly.customer_id, assembly_type=assembly.type,
                        district_id=assembly.district_id, tester_id=principal.id, gauge_id=body.gauge_id,
                        tested_on=body.tested_on.isoformat(), notes=body.notes, amends=body.amends,
                        repairs=[repair.model_dump(mode="json") for repair in body.repairs])
    _take(report, body.readings, body.retest_readings)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    records.count_child(uow, AssemblyItem(tenant_id=assembly.tenant_id, id=assembly.id, site_id=assembly.site_id,
                                          customer_id=assembly.customer_id),
                        AssemblyItem.report_count, 1, missing=Conflict("the assembly was deleted meanwhile"))
    return write(uow, report, REPORT_CREATED)


def get_report(principal: Principal, report_id: str) -> tuple[ReportOut, int]:
    report = load_report(principal.tenant_id, report_id)
    records.check_customer(principal, report.customer_id, ReportItem, report_id)
    return records.shown(ReportOut, report), report.version or 0


def list_reports(principal: Principal, assembly_id: str, *, limit: int, cursor: str | None) -> ReportList:
    """Oldest first. The assembly is read first, so another tenant's assembly is a 404, not an empty list."""
    assembly = load_assembly(principal.tenant_id, assembly_id)
    records.check_customer(principal, assembly.customer_id, AssemblyItem, assembly_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, ASSEMBLY_REPORTS, assembly.id)
    page = fetch_page(lambda start: ReportItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                          last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:reports:{assembly.id}")
    return ReportList(data=[records.shown(ReportOut, r) for r in page.items if isinstance(r, ReportItem)],
                      next_cursor=page.next_cursor)


def check_draft(report: ReportItem) -> None:
    if report.status == SIGNED:
        raise Conflict("a signed report does not change; make a report that amends it")


def update_report(principal: Principal, report_id: str, change: ReportUpdate, expected_version: int,
                  info: RequestInfo) -> tuple[ReportOut, int]:
    report = load_report(principal.tenant_id, report_id, consistent=True)
    check_draft(report)
    records.check_version(report, expected_version)
    records.apply(report, change.model_copy(update={"readings": None, "retest_readings": None}))
    _take(report, change.readings, change.retest_readings)
    return write(UnitOfWork(principal.tenant_id, actor_of(principal), info), report, REPORT_UPDATED)


def delete_report(principal: Principal, report_id: str, info: RequestInfo) -> None:
    """A draft, by its own tester (a signed report stays: amend it); its assembly counts one report less."""
    report = load_report(principal.tenant_id, report_id, consistent=True)
    check_draft(report)
    if report.tester_id != principal.id:
        raise Forbidden("only the report's tester deletes its draft")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    records.count_child(uow, AssemblyItem(tenant_id=report.tenant_id, id=report.assembly_id, site_id=report.site_id,
                                          customer_id=report.customer_id),
                        AssemblyItem.report_count, -1, missing=Conflict("the assembly was deleted meanwhile"))
    write(uow, report, REPORT_DELETED)
