"""Jobs routes: read the tenant's jobs, retry a failed one."""

from fastapi import Response

from atrium.jobs import service
from atrium.jobs.schemas import JobList, JobOut
from atrium.kernel.grants import READ, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter

router = ContextRouter("jobs")
JOB_PATH = f"{service.JOBS_PATH}/{{job_id}}"
_NOT_FOUND = {404: {"description": "Not found in the caller's tenant, or started by someone else and of a kind "
                                  "whose permission the caller lacks"}}
_LOCATION = {"Location": {"description": "The job", "schema": {"type": "string"}}}


@router.get(service.JOBS_PATH, name="list_jobs", permission="jobs:read",
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_jobs(principal: CurrentPrincipal, paging: Paging) -> JobList:
    """The tenant's jobs the caller may see, newest first."""
    return service.list_jobs(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(JOB_PATH, name="get_job", permission="jobs:read", grants=READ, responses=_NOT_FOUND)
def get_job(job_id: str, principal: CurrentPrincipal) -> JobOut:
    """A job's status, progress, attempts, and its result or last error."""
    return service.get_job(principal, job_id)


@router.post(f"{JOB_PATH}/retry", name="retry_job", permission="jobs:read", status_code=202,
             grants={Grant.TABLE_READ, Grant.TABLE_WRITE},
             responses={202: {"headers": _LOCATION}, **_NOT_FOUND,
                        403: {"description": "The caller lacks the permission of the job's kind"},
                        409: {"description": "The job has not failed"}})
def retry_job(job_id: str, principal: CurrentPrincipal, info: CurrentRequest, response: Response) -> JobOut:
    """Queue a failed job again; it also needs the permission of the job's kind (e.g. audit:export)."""
    job = service.retry_job(principal, job_id, info)
    response.headers["Location"] = service.job_location(job.id)
    return job
