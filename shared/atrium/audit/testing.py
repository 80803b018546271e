"""Sample audit events and requests, for the tests and the bench (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel import clock, ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import Fixture, IdFactory, Request, RequestSetup

EXPORT_RANGE = {"from": "2026-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}


def _an_event(client: TestClient, auth: dict[str, str]) -> str:
    """The newest entry of the caller's tenant log."""
    return str(client.get("/v1/audit-events", params={"limit": 1}, headers=auth).json()["data"][0]["id"])


PATH_IDS: dict[str, IdFactory] = {"event_id": lambda client, owner: _an_event(client, owner.auth)}


def _finished_export(fixture: Fixture, spec: RouteSpec) -> Request:
    """An export started through the API and run now by its job kind's consumer, as the event that queued it would
    run it (no worker runs here)."""
    job = fixture.post("/v1/audit/exports", {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"})
    queued = Envelope(id=ids.new_id("evt"), type="job.queued", tenant_id=fixture.tenant_id, occurred_at=clock.now(),
                      actor=Ref(type="user", id=job["created_by"]), subject=Ref(type="job", id=job["id"]),
                      data={"job_id": job["id"], "kind": job["kind"]})
    with tenant_scope(fixture.tenant_id):
        manifest.consumer(f"jobs.{job['kind']}").handler(queued)
    return Request(path=spec.path.format(job_id=job["id"]))


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "audit.get_event": lambda fixture, _: Request(path=f"/v1/audit-events/{_an_event(fixture.client, fixture.auth)}"),
    "audit.create_export": lambda _fixture, _: Request(body=EXPORT_RANGE),
    "audit.download_export": _finished_export,
    "audit.update_settings": lambda fixture, spec: Request(body={"retention_days": 400},
                                                           headers={"If-Match": fixture.etag(spec.path)}),
}
