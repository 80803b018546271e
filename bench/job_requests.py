"""Set-up for the jobs context's operations in bench/aws_calls.py: a failed job in the fixture tenant, written
as the runner leaves it (no product job kind exists to start one through)."""

from typing import TYPE_CHECKING

from atrium.jobs.models import JobItem, JobStatus
from atrium.kernel import ids
from atrium.kernel.tenancy import tenant_scope

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request


def _saved_job(fixture: "Fixture", spec: "RouteSpec", job: JobItem) -> "Request":
    from bench.aws_calls import Request

    with tenant_scope(fixture.tenant_id):
        job.save()
    return Request(path=spec.path.format(job_id=job.id))


def failed_job(fixture: "Fixture", spec: "RouteSpec") -> "Request":
    return _saved_job(fixture, spec, JobItem(
        tenant_id=fixture.tenant_id, id=ids.new_id("job"), kind="bench.export", permission="jobs:read",
        status=JobStatus.FAILED.value, created_by="usr_bench", attempts=3, error="bench"))


def finished_export(fixture: "Fixture", spec: "RouteSpec") -> "Request":
    return _saved_job(fixture, spec, JobItem(
        tenant_id=fixture.tenant_id, id=ids.new_id("job"), kind="audit.export", permission="audit:export",
        status=JobStatus.SUCCEEDED.value, created_by="usr_bench", attempts=1, result={"format": "jsonl"}))
