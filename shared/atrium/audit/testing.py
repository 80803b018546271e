"""Sample audit events and requests, for the tests and the bench (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel import clock, ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Request, RequestSetup

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

AWS_CALL_BUDGETS = {
    "audit.list_events": CallBudget(15,
        "One BatchGetItem for the retention and when the chain began, then one Query per monthly bucket the page "
        "visits, newest first, until the page is full: at most 13 buckets (a year and a month), and usually one; then "
        "one BatchGetItem of the keys of the people the page's entries name (their names are sealed under them)."),
    "audit.get_event": CallBudget(2,
        "The entry (GetItem), then the keys of the people it names (BatchGetItem): their names are sealed under them."),
    "audit.verify": CallBudget(4,
        "Verification reads the whole chain: one BatchGetItem for the head and the retention, one Query per page of "
        "each chain bucket (10,000 entries) through the bucket after the head's (entries past a rewound head are found"
        " too), and one Query counting the pending entries. The figure is for a new tenant's chain."),
    "audit.update_settings": CallBudget(2,
        "A consistent GetItem before the transaction: the event carries previous_days, and a stale If-Match fails fast"
        " with 412 before any write."),
    "audit.create_export": CallBudget(2,
        "A GetItem of the tenant's subscription before the transaction: exports are a feature of the plan."),
    "audit.create_export + Idempotency-Key": CallBudget(4,
        "The tenant's subscription (GetItem: exports are a feature of the plan), and the idempotency record claimed "
        "(PutItem) before the transaction and completed (PutItem) after it, so a retry replays the stored response "
        "(the same job)."),
}
