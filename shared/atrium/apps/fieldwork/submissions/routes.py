"""District submission routes: a district's waiting signed reports, its submissions, and the district's answer."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.apps.fieldwork.routing import CREATED, DISTRICT_PATH, NOT_FOUND, READ_ONE, SUBMISSION_PATH, SUBMISSIONS_PATH
from atrium.apps.fieldwork.submissions.schemas import (
    QueuedReportList,
    SubmissionAccept,
    SubmissionList,
    SubmissionOut,
    SubmissionReject,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.submissions import district_queue
    from atrium.apps.fieldwork.submissions import service as submissions
else:
    district_queue, submissions = lazy_modules("atrium.apps.fieldwork.submissions", "district_queue", "service")

router = ContextRouter("fieldwork")
ANSWERED = {200: {"headers": ETAG_HEADER}, **NOT_FOUND,
            409: {"description": "Not sent yet, or the district's answer is recorded already"}}


@router.get(f"{DISTRICT_PATH}/unsubmitted-reports", name="list_unsubmitted_reports", permission="test_reports:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_unsubmitted_reports(district_id: str, principal: CurrentPrincipal, paging: Paging) -> QueuedReportList:
    """The district's signed reports waiting to be submitted, oldest test first, each with its submission deadline
    (its test day plus the district's deadline days)."""
    return district_queue.list_unsubmitted(principal, district_id, limit=paging.limit, cursor=paging.cursor)


@router.post(f"{DISTRICT_PATH}/submissions", name="create_submission", permission="submissions:create",
             status_code=201, idempotent=True, grants=WRITE,
             responses={**CREATED, **NOT_FOUND, 409: {"description": "No signed report waits to be submitted, or "
                                                                     "another submission took them meanwhile"}})
def create_submission(district_id: str, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> SubmissionOut:
    """Batch the district's waiting signed reports (the oldest 90; the rest wait for the next) into a submission,
    which a job sends: each report as a PDF in the district's form and a CSV summary, stored with their SHA-256 and
    emailed to the district's submission email; the reports are then submitted."""
    submission, version = submissions.create_submission(principal, district_id, info)
    response.headers["Location"] = f"{SUBMISSIONS_PATH}/{submission.id}"
    response.headers["ETag"] = etag(version)
    return submission


@router.get(f"{DISTRICT_PATH}/submissions", name="list_submissions", permission="submissions:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_submissions(district_id: str, principal: CurrentPrincipal, paging: Paging) -> SubmissionList:
    """The district's submissions, newest first."""
    return submissions.list_submissions(principal, district_id, limit=paging.limit, cursor=paging.cursor)


@router.get(SUBMISSION_PATH, name="get_submission", permission="submissions:read", grants={*READ, Grant.FILES_READ},
            responses=READ_ONE)
def get_submission(submission_id: str, principal: CurrentPrincipal, response: Response) -> SubmissionOut:
    """A submission, with a fresh download link for each of its stored files."""
    submission, version = submissions.get_submission(principal, submission_id)
    response.headers["ETag"] = etag(version)
    return submission


@router.post(f"{SUBMISSION_PATH}/accept", name="accept_submission", permission="submissions:update",
             grants={*WRITE, Grant.FILES_READ}, responses=ANSWERED)
def accept_submission(submission_id: str, body: SubmissionAccept, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> SubmissionOut:
    """Record that the district accepted the sent submission (``note``: its reference, say)."""
    submission, version = submissions.accept_submission(principal, submission_id, body, info)
    response.headers["ETag"] = etag(version)
    return submission


@router.post(f"{SUBMISSION_PATH}/reject", name="reject_submission", permission="submissions:update",
             grants={*WRITE, Grant.FILES_READ}, responses=ANSWERED)
def reject_submission(submission_id: str, body: SubmissionReject, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> SubmissionOut:
    """Record that the district rejected the sent submission, and why: its reports wait in the district's queue
    again, for the next submission (amend a report to correct it)."""
    submission, version = submissions.reject_submission(principal, submission_id, body, info)
    response.headers["ETag"] = etag(version)
    return submission
