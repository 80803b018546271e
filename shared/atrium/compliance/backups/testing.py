"""Backups made and requests set up, for the tests and the bench (``atrium.kernel.testing``)."""

from typing import Any

from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel import clock, ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, Owner, Request, RequestSetup


def run_job(tenant_id: str, job_id: str, kind: str, created_by: str) -> None:
    """Run a queued job now, as its kind's consumer would on the event that queued it (no worker runs here)."""
    queued = Envelope(id=ids.new_id("evt"), type="job.queued", tenant_id=tenant_id, occurred_at=clock.now(),
                      actor=Ref(type="user", id=created_by), subject=Ref(type="job", id=job_id),
                      data={"job_id": job_id, "kind": kind})
    with tenant_scope(tenant_id):
        manifest.consumer(f"jobs.{kind}").handler(queued)


def finished_backup(client: TestClient, tenant_id: str, auth: dict[str, str]) -> dict[str, Any]:
    """A backup started through the API and written now."""
    started = client.post("/v1/backups", json={}, headers=auth)
    assert started.status_code == 202, started.text
    backup: dict[str, Any] = started.json()
    run_job(tenant_id, backup["job_id"], "compliance.backup", backup["created_by"])
    return backup


def _backup_id(client: TestClient, owner: Owner) -> str:
    return str(finished_backup(client, owner.id, owner.auth)["id"])


PATH_IDS = {"backup_id": _backup_id}


def _schedule(fixture: Fixture, spec: RouteSpec) -> Request:
    return Request(body={"frequency": "weekly", "keep": 4}, headers={"If-Match": fixture.etag(spec.path)})


def _restore(fixture: Fixture, spec: RouteSpec) -> Request:
    backup = finished_backup(fixture.client, fixture.tenant_id, fixture.auth)
    return Request(path=spec.path.format(backup_id=backup["id"]), body={"target": "new_tenant"})


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "backups.create_backup": lambda _fixture, _spec: Request(body={}),
    "backups.update_schedule": _schedule,
    "backups.get_backup": lambda fixture, spec: Request(path=spec.path.format(
        backup_id=finished_backup(fixture.client, fixture.tenant_id, fixture.auth)["id"])),
    "backups.restore_backup": _restore,
    "backups.delete_backup": lambda fixture, spec: Request(path=spec.path.format(
        backup_id=finished_backup(fixture.client, fixture.tenant_id, fixture.auth)["id"])),
}

AWS_CALL_BUDGETS = {
    "backups.create_backup + Idempotency-Key": CallBudget(3,
        "The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, so a "
        "retry replays the stored response (the same backup)."),
    "backups.update_schedule": CallBudget(2,
        "A consistent GetItem of the schedule before the transaction: a stale If-Match fails fast with 412."),
    "backups.restore_backup": CallBudget(3,
        "A consistent GetItem of the backup (only a finished one is restored) and, into a new tenant, a GetItem of "
        "this tenant's name (the new one's default), before the transaction."),
    "backups.delete_backup": CallBudget(2,
        "A consistent GetItem of the backup before the transaction: one being written is refused (409), and its "
        "files are deleted before its item goes."),
    "backups.restore_backup + Idempotency-Key": CallBudget(5,
        "The reads and the transaction of restore_backup, plus the idempotency record claimed before and completed "
        "after."),
}
