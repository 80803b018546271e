"""Starting, reading and retrying jobs. Another context starts a job with ``enqueue`` inside its own unit of
work, so the job, its audit entry and its event commit with the caller's change, or not at all."""

import json
from typing import Any

from atrium.jobs.events import JOB_QUEUED, JOB_RETRIED, JobQueued
from atrium.jobs.models import JobItem, JobStatus
from atrium.jobs.schemas import JobList, JobOut
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.http.dependencies import audit_denial
from atrium.kernel.jobs import JobKind
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

JOBS_PATH = "/v1/jobs"
RETRY_OPERATION = "jobs.retry_job"
# Parameters travel in the job item; blobs belong in S3.
MAX_PARAMS_BYTES = 16 * 1024


def job_location(job_id: str) -> str:
    """The ``Location`` of a started job: a route that starts one answers 202 with it."""
    return f"{JOBS_PATH}/{job_id}"


def enqueue(uow: UnitOfWork, *, kind: JobKind, params: dict[str, Any]) -> JobOut:
    """Start a job of ``kind`` (listed in its context's ``JOB_KINDS``) when ``uow`` commits; returns it as it will
    stand (queued), so the starting route answers without reading it back. The caller's route holds the
    permission to start it (the kind's ``permission``)."""
    if len(json.dumps(params).encode()) > MAX_PARAMS_BYTES:
        raise Unprocessable(f"the job's parameters are larger than {MAX_PARAMS_BYTES} bytes")
    job = JobItem(tenant_id=uow.tenant_id, id=ids.new_id("job"), kind=kind.name,
                  permission=kind.permission, params=params, created_by=uow.actor.id)
    uow.create(job, conflict=Conflict("id collision; retry"))
    uow.record(JOB_QUEUED.name, subject=_subject(job), data=JobQueued(job_id=job.id, kind=job.kind).model_dump())
    return job_out(job)


def job_out(job: JobItem) -> JobOut:
    def iso(value: Any) -> str | None:
        return clock.iso(value) if value else None

    return JobOut(id=job.id, kind=job.kind, status=job.status, progress=float(job.progress),
                  progress_message=job.progress_message, result=job.result, error=job.error,
                  attempts=int(job.attempts), created_by=job.created_by, created_at=clock.iso(job.created_at),
                  updated_at=clock.iso(job.updated_at), started_at=iso(job.started_at),
                  finished_at=iso(job.finished_at))


def _subject(job: JobItem) -> Ref:
    return Ref(type="job", id=job.id)


def _visible(principal: Principal, job: JobItem) -> bool:
    """Whoever started a job sees it; others need the kind's permission (a job's result is that kind's data)."""
    return job.created_by == principal.id or principal.can(job.permission)


def _load(principal: Principal, job_id: str, *, consistent: bool = False) -> JobItem:
    missing = NotFound(f"job {job_id} not found")
    if not ids.is_valid_id(job_id, "job"):
        raise missing
    job = JobItem.load(principal.tenant_id, job_id, consistent=consistent)
    if not _visible(principal, job):
        raise missing
    return job


def get_job(principal: Principal, job_id: str, *, consistent: bool = False) -> JobOut:
    return job_out(_load(principal, job_id, consistent=consistent))


def list_jobs(principal: Principal, *, limit: int, cursor: str | None) -> JobList:
    """Newest first (ids are ULIDs); a page leaves out the jobs the caller may not see, so it can be short."""
    page = collection_page(JobItem, principal.tenant_id, limit=limit, cursor=cursor, query="jobs", newest_first=True)
    return JobList(data=[job_out(job) for job in page.items if _visible(principal, job)], next_cursor=page.next_cursor)


def retry_job(principal: Principal, job_id: str, info: RequestInfo) -> JobOut:
    """Queue a failed job again, as a new event: its kind's consumer runs it once more."""
    job = _load(principal, job_id, consistent=True)
    if not principal.can(job.permission):
        reason = f"retrying a {job.kind} job needs the permission {job.permission}"
        audit_denial(principal, info, operation_id=RETRY_OPERATION, permission=job.permission, reason=reason)
        raise Forbidden(reason)
    if job.status != JobStatus.FAILED:
        raise Conflict(f"only a failed job can be retried; this one is {job.status}")
    job.status, job.progress, job.progress_message, job.finished_at = JobStatus.QUEUED.value, 0.0, None, None
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.save(job)
    uow.record(JOB_RETRIED.name, subject=_subject(job), data=JobQueued(job_id=job.id, kind=job.kind).model_dump())
    uow.commit()
    return job_out(job)
