"""Test jobs: a job kind that fails until told otherwise, registered in place of the declared kinds, and
job items written directly (no product kind exists to start them through)."""

from dataclasses import dataclass
from typing import Any

import pytest

from atrium.jobs import service
from atrium.jobs.models import JobItem, JobStatus
from atrium.kernel import ids
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from tests.support.declarations import declare_only

FLAKY_ERROR = "the report service is down"


@dataclass
class Flaky:
    """Reports halfway, then fails while ``failing``; otherwise returns what it was asked for."""

    failing: bool = True

    def run(self, job: JobContext) -> dict[str, Any] | None:
        job.progress(0.5, "halfway")
        if self.failing:
            raise RuntimeError(FLAKY_ERROR)
        rows = job.params["rows"]
        return {"rows": rows, "attempt": job.attempt, "padding": "x" * int(job.params.get("padding", 0))}

    def kind(self) -> JobKind:
        return JobKind(name="reports.flaky_export", run=self.run, description="Export a report (test kind).",
                       permission="reports:export", timeout_seconds=30, max_attempts=3)


def register(monkeypatch: pytest.MonkeyPatch, kind: JobKind) -> None:
    """Make ``kind`` the only declared job kind."""
    declare_only(monkeypatch, kind, listed_by="job_kinds", found_by="job_kind", what="job kind")


def start(tenant_id: str, user_id: str, kind: JobKind, params: dict[str, Any]) -> str:
    """What a route that starts a job does: ``enqueue`` in the caller's unit of work."""
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, Ref(type="user", id=user_id))
        job_id = service.enqueue(uow, kind=kind, params=params).id
        uow.commit()
    return job_id


def a_job(tenant_id: str, created_by: str, status: JobStatus, permission: str = "tenant:read") -> str:
    """A job item as the runner leaves it, of a kind anyone with ``permission`` may retry."""
    job = JobItem(tenant_id=tenant_id, id=ids.new_id("job"), kind="reports.flaky_export", permission=permission,
                  status=status.value, created_by=created_by, attempts=1)
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, Ref(type="test", id="fixture"))
        uow.create(job, conflict=Conflict("collision"))
        uow.record("test.job_added", subject=Ref(type="job", id=job.id), data={}, emit=False)
        uow.commit()
    return job.id
