"""District submissions: a batch of a district's waiting signed reports (the oldest ``MAX_REPORTS``; the rest wait
for the next), made from the API or by the weekly schedule and sent by a job (``sending``); the district's answer.

Making one takes its reports' queue entries in its own transaction, each at the version read, so two submissions
never take the same report: the second fails whole (409). That transaction holds the entries, the submission and
its job with their audit entries and events (6 items), so a batch is at most ``MAX_REPORTS``: DynamoDB's
transactions hold 100 items, and the job's last one (the reports, the submission, its audit entry and event) fits
too. A rejection queues the reports again.
"""

from typing import Any

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.districts.service import load_district
from atrium.apps.fieldwork.events import SUBMISSION_ACCEPTED, SUBMISSION_CREATED, SUBMISSION_REJECTED
from atrium.apps.fieldwork.submissions import district_queue, store
from atrium.apps.fieldwork.submissions.models import (
    ACCEPTED,
    DISTRICT_SUBMISSIONS,
    PREPARING,
    REJECTED,
    SENT,
    SubmissionItem,
)
from atrium.apps.fieldwork.submissions.schemas import (
    SubmissionAccept,
    SubmissionList,
    SubmissionListed,
    SubmissionOut,
    SubmissionReject,
)
from atrium.apps.fieldwork.submissions.sending import SEND_SUBMISSION
from atrium.jobs.api import enqueue
from atrium.kernel import clock, files, ids
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

MAX_REPORTS = 90


def shown(submission: SubmissionItem) -> tuple[SubmissionOut, int]:
    """The submission with a fresh download link for each of its files."""
    listed = records.shown(SubmissionListed, submission)
    urls = {file["name"]: files.download_url(file["key"], filename=file["name"]) for file in submission.files}
    return SubmissionOut(**listed.model_dump(), download_urls=urls), submission.version or 0


def submit_batch(district: DistrictItem, actor: Ref, info: RequestInfo,
                 start: dict[str, Any] | None = None) -> tuple[SubmissionItem | None, dict[str, Any] | None]:
    """A submission of the district's oldest waiting reports after ``start`` (None when none wait), and where the
    reports after them start (None: no more)."""
    entries, rest = district_queue.take(district, MAX_REPORTS, start)
    if not entries:
        return None, None
    submission_id = ids.new_id("sbm")
    uow = UnitOfWork(district.tenant_id, actor, info)
    for entry in entries:
        uow.delete(entry)
    job = enqueue(uow, kind=SEND_SUBMISSION, params={"submission_id": submission_id})
    submission = SubmissionItem(tenant_id=district.tenant_id, id=submission_id, district_id=district.id,
                                report_ids=[entry.report_id for entry in entries], created_by=actor.id,
                                job_id=job.id)
    try:
        store.write(uow, submission, SUBMISSION_CREATED)
    except PreconditionFailed as error:  # an entry read from the index was taken meanwhile
        raise Conflict("another submission took some of these reports meanwhile; try again") from error
    return submission, rest


def create_submission(principal: Principal, district_id: str, info: RequestInfo) -> tuple[SubmissionOut, int]:
    district = load_district(principal.tenant_id, district_id, consistent=True)
    submission, _rest = submit_batch(district, actor_of(principal), info)
    if submission is None:
        raise Conflict(f"district {district.id} has no signed report waiting to be submitted")
    return shown(submission)


def get_submission(principal: Principal, submission_id: str) -> tuple[SubmissionOut, int]:
    return shown(store.load(principal.tenant_id, submission_id))


def list_submissions(principal: Principal, district_id: str, *, limit: int, cursor: str | None) -> SubmissionList:
    """Newest first. The district is read first, so another tenant's district is a 404, not an empty list."""
    district = load_district(principal.tenant_id, district_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, DISTRICT_SUBMISSIONS, district.id)
    page = fetch_page(lambda start: SubmissionItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                              scan_index_forward=False, last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:submissions:{district.id}")
    return SubmissionList(data=[records.shown(SubmissionListed, s) for s in page.items
                                if isinstance(s, SubmissionItem)], next_cursor=page.next_cursor)


def _answered(principal: Principal, submission_id: str, status: str, note: str) -> SubmissionItem:
    """The sent submission, answered (409 before it is sent, and once answered)."""
    submission = store.load(principal.tenant_id, submission_id, consistent=True)
    if submission.status == PREPARING:
        raise Conflict("the submission has not been sent yet: the district has nothing to answer")
    if submission.status != SENT:
        raise Conflict(f"the district's answer is recorded already: {submission.status}")
    submission.status, submission.answer_note = status, note
    submission.answered_at, submission.answered_by = clock.iso(clock.now()), principal.id
    return submission


def accept_submission(principal: Principal, submission_id: str, body: SubmissionAccept,
                      info: RequestInfo) -> tuple[SubmissionOut, int]:
    submission = _answered(principal, submission_id, ACCEPTED, body.note)
    store.write(UnitOfWork(principal.tenant_id, actor_of(principal), info), submission, SUBMISSION_ACCEPTED)
    return shown(submission)


def reject_submission(principal: Principal, submission_id: str, body: SubmissionReject,
                      info: RequestInfo) -> tuple[SubmissionOut, int]:
    """Its reports wait in the district's queue again, for the next submission (amend one to correct it)."""
    submission = _answered(principal, submission_id, REJECTED, body.reason)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    for report in store.reports_of(submission):
        district_queue.queue(uow, report)
    store.write(uow, submission, SUBMISSION_REJECTED)
    return shown(submission)
