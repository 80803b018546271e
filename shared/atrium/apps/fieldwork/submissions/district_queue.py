"""A district's queue of signed reports waiting to be submitted: queued when signed (and again when the district
rejects their submission), listed oldest test first with each one's submission deadline, taken by a submission."""

import datetime as dt
from typing import Any

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.districts.service import load_district
from atrium.apps.fieldwork.reports.models import ReportItem
from atrium.apps.fieldwork.reports.schemas import ReportChanged
from atrium.apps.fieldwork.submissions.models import QueuedReportItem, queue_pk
from atrium.apps.fieldwork.submissions.schemas import QueuedReport, QueuedReportList
from atrium.kernel.errors import Conflict
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import Principal


def queue(uow: UnitOfWork, report: ReportItem) -> None:
    """Queue ``report``, signed in ``uow``, for its district."""
    entry = QueuedReportItem(tenant_id=report.tenant_id, report_id=report.id, district_id=report.district_id,
                             tested_on=report.tested_on,
                             report=records.shown(ReportChanged, report).model_dump(mode="json"))
    uow.create(entry, conflict=Conflict(f"report {report.id} is queued already"))


def deadline(tested_on: str, district: DistrictItem) -> dt.date:
    return dt.date.fromisoformat(tested_on) + dt.timedelta(days=int(district.submission_deadline_days))


def list_unsubmitted(principal: Principal, district_id: str, *, limit: int, cursor: str | None) -> QueuedReportList:
    """Oldest test first. The district is read first (another tenant's is a 404, and its deadline days apply)."""
    district = load_district(principal.tenant_id, district_id)
    page = fetch_page(lambda start: QueuedReportItem.gsi1.query(queue_pk(principal.tenant_id, district.id),
                                                                limit=limit, page_size=limit, last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:queue:{district.id}")
    return QueuedReportList(data=[QueuedReport.model_validate(entry.report | {
        "submission_deadline": deadline(entry.tested_on, district)}) for entry in page.items
        if isinstance(entry, QueuedReportItem)], next_cursor=page.next_cursor)


def take(district: DistrictItem, most: int,
         start: dict[str, Any] | None = None) -> tuple[list[QueuedReportItem], dict[str, Any] | None]:
    """The ``most`` oldest entries of the district's queue after ``start`` (one Query), and where the rest start
    (None: nothing after them)."""
    results = QueuedReportItem.gsi1.query(queue_pk(district.tenant_id, district.id), limit=most, page_size=most,
                                          last_evaluated_key=start)
    entries = [entry for entry in results if isinstance(entry, QueuedReportItem)]
    return entries, results.last_evaluated_key
