"""Sample jobs, for the tests and the bench (``atrium.kernel.testing``): job items written as the runner leaves
them, as no route of this context starts one."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.jobs.models import JobItem, JobStatus
from atrium.kernel import ids
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup


def _saved_job(tenant_id: str, status: JobStatus, **fields: Any) -> str:
    job = JobItem(tenant_id=tenant_id, id=ids.new_id("job"), status=status.value, **fields)
    with tenant_scope(tenant_id):
        job.save()
    return job.id


def _a_finished_job(_client: TestClient, owner: Owner) -> str:
    """Of a kind every role reading jobs may retry: those roles get past the permission check (then 409)."""
    return _saved_job(owner.id, JobStatus.SUCCEEDED, kind="samples.report", permission="tenant:read",
                      created_by=owner.user_id, attempts=1)


PATH_IDS: dict[str, IdFactory] = {"job_id": _a_finished_job}


def _failed_job(fixture: Fixture, spec: RouteSpec) -> Request:
    job_id = _saved_job(fixture.tenant_id, JobStatus.FAILED, kind="bench.export", permission="jobs:read",
                        created_by="usr_bench", attempts=3, error="bench")
    return Request(path=spec.path.format(job_id=job_id))


BENCH_REQUESTS: dict[str, RequestSetup] = {"jobs.get_job": _failed_job, "jobs.retry_job": _failed_job}

AWS_CALL_BUDGETS = {
    "jobs.retry_job": CallBudget(2,
        "Reads the job first (consistent): who may retry it and whether it has failed decide 403 or 409 before "
        "anything is written; then one transaction queues it again with its audit entry and event."),
}
