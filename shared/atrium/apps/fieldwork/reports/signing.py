"""Signing a test report: only its tester signs, under a certification valid on the test day and today, with a
gauge that was in calibration on the test day (422 naming what is not). A passed report moves its assembly's last
test and next due date (its district's interval later), and starts the due date's reminders with its status as of
today, in the same transaction, which also queues the report for its district's next submission, makes it its
assembly's last report (``last_report_id``, which the field sync sends) and counts it in its month's tally
(``summaries``)."""

import datetime as dt

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.due_dates import next_due
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.certifications.models import CertificationItem
from atrium.apps.fieldwork.certifications.service import tester_certifications
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.events import REPORT_SIGNED
from atrium.apps.fieldwork.gauges.models import GaugeItem
from atrium.apps.fieldwork.reminders import series
from atrium.apps.fieldwork.reminders.models import ReminderItem
from atrium.apps.fieldwork.reports.models import SIGNED, ReportItem
from atrium.apps.fieldwork.reports.schemas import ReportOut, Result
from atrium.apps.fieldwork.reports.service import check_draft, load_report, write
from atrium.apps.fieldwork.submissions.district_queue import queue
from atrium.apps.fieldwork.summaries.tally import count_signed
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, Forbidden, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def _read(tenant_id: str, report: ReportItem) -> tuple[GaugeItem | None, AssemblyItem, DistrictItem,
                                                      ReminderItem | None]:
    """The gauge (None when there is none), the assembly, its district and its entry in the reminders index (None
    when it has none), in one BatchGetItem. The assembly and the district exist: the report is counted on the
    assembly, the assembly on the district."""
    wanted: list[tuple[type[TenantEntity], str]] = [(AssemblyItem, report.assembly_id),
                                                    (DistrictItem, report.district_id)]
    if ids.is_valid_id(report.gauge_id, "gau"):
        wanted.append((GaugeItem, report.gauge_id))
    found = list(Item.batch_get([*((keys.entity_pk(tenant_id, model.type_name(), item_id), keys.ENTITY_SK)
                                   for model, item_id in wanted), ReminderItem.key_of(tenant_id, report.assembly_id)]))
    gauge = next((item for item in found if isinstance(item, GaugeItem)), None)
    assembly = next(item for item in found if isinstance(item, AssemblyItem))
    district = next(item for item in found if isinstance(item, DistrictItem))
    reminder = next((item for item in found if isinstance(item, ReminderItem)), None)
    return gauge, assembly, district, reminder


def valid_certification(report: ReportItem, certifications: list[CertificationItem], gauge: GaugeItem | None,
                        today: dt.date) -> CertificationItem:
    """The certification to sign under (the one valid longest), or 422 naming each thing that is missing."""
    needed = max(report.tested_on, today.isoformat())
    valid = [c for c in certifications if c.expires_on >= needed]
    errors = []
    if not valid:
        latest = max((c.expires_on for c in certifications), default=None)
        errors.append({"field": "certification", "code": "certification_expired", "message":
                       f"the tester's certification expired on {latest}" if latest else
                       "the tester holds no certification"})
    if gauge is None:
        errors.append({"field": "gauge_id", "code": "gauge_not_found", "message": f"no gauge {report.gauge_id}"})
    elif gauge.calibration_expires_on < report.tested_on:
        errors.append({"field": "gauge_id", "code": "gauge_out_of_calibration", "message":
                       f"gauge {gauge.serial} was out of calibration on {report.tested_on} (since "
                       f"{gauge.calibration_expires_on})"})
    if errors:
        raise Unprocessable("the report cannot be signed: " + "; ".join(e["message"] for e in errors), errors=errors)
    return max(valid, key=lambda c: c.expires_on)


def _passed(assembly: AssemblyItem, district: DistrictItem, tested_on: str) -> bool:
    """Move the assembly's last test and next due date to a passed test, unless it has a later one."""
    if assembly.last_test_date is not None and assembly.last_test_date > tested_on:
        return False
    assembly.last_test_date = tested_on
    assembly.next_due_date = next_due(dt.date.fromisoformat(tested_on), int(district.test_interval_months)).isoformat()
    return True


def sign_report(principal: Principal, report_id: str, expected_version: int | None,
                info: RequestInfo) -> tuple[ReportOut, int]:
    """``expected_version``: the version the tester signs (from the field, what its device showed), if it says."""
    report = load_report(principal.tenant_id, report_id, consistent=True)
    check_draft(report)
    if report.tester_id != principal.id:
        raise Forbidden("only the report's tester signs it")
    if expected_version is not None:
        records.check_version(report, expected_version)
    gauge, assembly, district, reminder = _read(principal.tenant_id, report)
    certification = valid_certification(report, tester_certifications(principal.tenant_id, principal.id), gauge,
                                        clock.now().date())
    report.status, report.certification_id, report.signed_at = SIGNED, certification.id, clock.iso(clock.now())
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    assembly.last_report_id = report.id  # what the field sync sends of the assembly's tests
    if report.result == Result.PASSED and _passed(assembly, district, report.tested_on):
        series.start(uow, assembly, reminder, clock.now().date())
        uow.save(assembly)
    else:
        uow.update(assembly, [AssemblyItem.last_report_id.set(report.id), AssemblyItem.updated_at.set(clock.now())],
                   condition=AssemblyItem.pk.exists(), conflict=Conflict("the assembly was deleted meanwhile"))
    queue(uow, report)  # for its district's next submission
    count_signed(uow, report.assembly_type, result=report.result, initial_result=report.initial_result)
    return write(uow, report, REPORT_SIGNED)
