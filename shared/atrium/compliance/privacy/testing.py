"""Requests to the privacy routes, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium import manifest
from atrium.kernel import clock, ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Request, RequestSetup, created

ERASURES_PATH = "/v1/privacy/erasures"
SUBJECT = {"subject": "dana@harbour.example"}

PATH_IDS: dict[str, IdFactory] = {"erasure_id": created("id", ERASURES_PATH, SUBJECT)}


def run_job(tenant_id: str, job: dict[str, str]) -> None:
    """Run a queued job now through its kind's consumer, as the event that queued it would (no worker runs here)."""
    queued = Envelope(id=ids.new_id("evt"), type="job.queued", tenant_id=tenant_id, occurred_at=clock.now(),
                      actor=Ref(type="user", id=job["created_by"]), subject=Ref(type="job", id=job["id"]),
                      data={"job_id": job["id"], "kind": job["kind"]})
    with tenant_scope(tenant_id):
        manifest.consumer(f"jobs.{job['kind']}").handler(queued)


def _finished_export(fixture: Fixture, spec: RouteSpec) -> Request:
    job = fixture.post("/v1/me/export", {})
    run_job(fixture.tenant_id, job)
    return Request(path=spec.path.format(job_id=job["id"]))


def _pending_erasure(fixture: Fixture, spec: RouteSpec) -> Request:
    return Request(path=spec.path.format(erasure_id=fixture.post(ERASURES_PATH, SUBJECT)["id"]))


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "privacy.update_settings": lambda fixture, spec: Request(body={"pii_mode": "flag", "phone_region": "GB"},
                                                             headers={"If-Match": fixture.etag(spec.path)}),
    "privacy.create_export": lambda _fixture, _spec: Request(body=SUBJECT),
    "privacy.create_erasure": lambda _fixture, _spec: Request(body=SUBJECT),
    "privacy.download_export": _finished_export,
    "privacy.get_erasure": _pending_erasure,
    "privacy.cancel_erasure": _pending_erasure,
}

_IDEMPOTENT = ("The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, "
               "so a retry replays the stored response.")
AWS_CALL_BUDGETS = {
    "privacy.update_settings": CallBudget(2,
        "A consistent GetItem before the transaction: the event carries the settings it replaces, and a stale If-Match "
        "fails fast with 412 before any write."),
    "privacy.cancel_erasure": CallBudget(2,
        "A consistent GetItem before the transaction: an erasure already carried out or canceled is a 409 before any "
        "write."),
    "privacy.create_export + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
    "privacy.create_my_export + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
    "privacy.create_erasure + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
}
