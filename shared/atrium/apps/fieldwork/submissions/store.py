"""Reading a submission and its reports, and writing a change of it with its audit entry and event."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.events import SUBMISSION_CREATED
from atrium.apps.fieldwork.reports.models import ReportItem
from atrium.apps.fieldwork.submissions.models import SubmissionItem
from atrium.apps.fieldwork.submissions.schemas import SubmissionChanged
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork


def load(tenant_id: str, submission_id: str, *, consistent: bool = False) -> SubmissionItem:
    return records.load(SubmissionItem, "sbm", tenant_id, submission_id, consistent=consistent)


def name_of(submission: SubmissionItem) -> str:
    return f"{len(submission.report_ids)} report(s) to district {submission.district_id}"


def write(uow: UnitOfWork, submission: SubmissionItem, event: EventType) -> None:
    """Commit ``uow`` (with whatever else it holds) with the submission as it now stands and ``event``."""
    records.commit(uow, submission, "created" if event is SUBMISSION_CREATED else "updated", event,
                   name_of(submission), SubmissionChanged)


def reports_of(submission: SubmissionItem) -> list[ReportItem]:
    """The submission's reports, strongly consistent (BatchGetItem), oldest test first. Reports are never deleted."""
    wanted = [(keys.entity_pk(submission.tenant_id, ReportItem.type_name(), report_id), keys.ENTITY_SK)
              for report_id in submission.report_ids]
    found = {item.id: item for item in Item.batch_get(wanted, consistent_read=True) if isinstance(item, ReportItem)}
    return [found[report_id] for report_id in submission.report_ids]
