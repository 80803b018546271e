"""Sample proofs, versions and certificates, for the tests and the bench (``atrium.kernel.testing``): proofs brought
through the API to the state each operation needs, files sent to S3 through the presigned form as a browser sends
them (with requests: in-process moto intercepts it, and a moto server receives it)."""

import hashlib
from collections.abc import Callable
from typing import Any

import requests
from fastapi.testclient import TestClient

from atrium.apps.proofs.proofs import certificates
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.jobs import JobContext
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup, created

CONTENT = b"\x89PNG\r\n\x1a\n" + b"bench" * 200
NEW_UPLOAD = {"filename": "bench.png", "content_type": "image/png", "size": len(CONTENT)}
DECISION = {"version": 1, "note": "Bench"}
IN_REVIEW = ("version", "submit")

_drafts: dict[str, str] = {}


def the_draft(client: TestClient, owner: Owner) -> str:
    """One proof per tenant, a draft without versions (decisions on it are a 409); a comment's routes name it
    with the comment."""
    if owner.id not in _drafts:
        _drafts[owner.id] = created("id", "/v1/proofs", {"title": "Matrix proof"})(client, owner)
    return _drafts[owner.id]


PATH_IDS: dict[str, IdFactory] = {
    "proof_id": the_draft,
    # Of that draft, which has none: 404 (the routes with it are exercised in tests/api/test_proof_versions.py).
    "version": lambda _client, _owner: "1",
}


def new_draft(fixture: Fixture) -> str:
    return str(fixture.post("/v1/proofs", {"title": "Bench proof"})["id"])


def _sent_upload(fixture: Fixture, proof_id: str) -> dict[str, Any]:
    """The body that records the file as a version, once it is in S3."""
    upload = fixture.post(f"/v1/proofs/{proof_id}/uploads", NEW_UPLOAD)
    fields = upload["fields"]
    requests.post(upload["url"], data=fields, files={"file": ("bench.png", CONTENT, fields["Content-Type"])},
                  timeout=10).raise_for_status()
    return {"upload_id": upload["upload_id"], "sha256": hashlib.sha256(CONTENT).hexdigest()}


def _add_version(fixture: Fixture, proof_id: str) -> None:
    fixture.post(f"/v1/proofs/{proof_id}/versions", _sent_upload(fixture, proof_id))


def _owner_id(fixture: Fixture) -> str:
    return str(fixture.client.get("/v1/me", headers=fixture.auth).json()["user"]["id"])


def _new_proof(fixture: Fixture) -> dict[str, object]:
    return {"title": "Bench proof", "tags": ["bench"], "due_date": "2026-12-24",
            "reviewers": [{"user_id": _owner_id(fixture)}]}


def _proof(fixture: Fixture, *steps: str) -> str:
    """A proof reviewed by the fixture's owner; ``steps`` ("version", "submit") taken in order."""
    proof_id = str(fixture.post("/v1/proofs", _new_proof(fixture))["id"])
    for step in steps:
        if step == "version":
            _add_version(fixture, proof_id)
        else:
            fixture.post(f"/v1/proofs/{proof_id}/{step}", {})
    return proof_id


def _at(*steps: str, body: dict[str, object] | None = None, headers: dict[str, str] | None = None) -> RequestSetup:
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        return Request(path=spec.path.format(proof_id=_proof(fixture, *steps)), body=body, headers=headers or {})

    return setup


def _on_draft(body: Callable[[Fixture, str], dict[str, Any] | None]) -> RequestSetup:
    """A request on a new draft, with the body ``body`` makes for it."""
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        proof_id = new_draft(fixture)
        return Request(path=spec.path.format(proof_id=proof_id), body=body(fixture, proof_id))

    return setup


def _version_path(fixture: Fixture, spec: RouteSpec) -> Request:
    """A path to version 1 of a proof (or to its versions)."""
    proof_id = new_draft(fixture)
    _add_version(fixture, proof_id)
    return Request(path=spec.path.format(proof_id=proof_id, version="1"))


def _issued_certificate(fixture: Fixture, spec: RouteSpec) -> Request:
    """A proof the fixture's owner approved, its certificate rendered by calling the job's function (no worker runs
    here)."""
    proof_id = _proof(fixture, *IN_REVIEW)
    fixture.post(f"/v1/proofs/{proof_id}/approve", {"version": 1})
    job_id = next(job["id"] for job in fixture.client.get("/v1/jobs", headers=fixture.auth).json()["data"]
                  if job["kind"] == certificates.RENDER_CERTIFICATE.name and job["status"] == "queued")
    with tenant_scope(fixture.tenant_id):
        certificates.render(JobContext(tenant_id=fixture.tenant_id, job_id=job_id,
                                       params={"proof_id": proof_id, "version": 1}, attempt=1,
                                       report=lambda _fraction, _message: None))
    return Request(path=spec.path.format(proof_id=proof_id))


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "proofs.create_proof": lambda fixture, _: Request(body=_new_proof(fixture)),
    "proofs.get_proof": _at(),
    "proofs.update_proof": _at(body={"title": "Bench proof, renamed"}, headers={"If-Match": '"1"'}),
    "proofs.delete_proof": _at(),
    "proofs.submit_proof": _at("version"),
    "proofs.approve_proof": _at(*IN_REVIEW, body=DECISION),
    "proofs.request_proof_changes": _at(*IN_REVIEW, body=DECISION),
    "proofs.reject_proof": _at(*IN_REVIEW, body=DECISION),
    "proofs.list_proof_decisions": _at(*IN_REVIEW),
    "proofs.request_proof_upload": _on_draft(lambda _fixture, _proof_id: NEW_UPLOAD),
    "proofs.add_proof_version": _on_draft(_sent_upload),
    "proofs.list_proof_versions": _version_path,
    "proofs.get_proof_version": _version_path,
    "proofs.download_proof_version": _version_path,
    "proofs.get_proof_certificate": _issued_certificate,
}

AWS_CALL_BUDGETS = {
    "proofs.request_proof_upload": CallBudget(4,
        "Reads the proof first (404 in another tenant; 409 once it is approved or rejected), then the plan (GetItem "
        "of the subscription) and, when it limits storage, the bytes stored (GetItem of the running total), before "
        "the transaction that writes the pending upload and its audit entry."),
    "proofs.request_proof_upload + Idempotency-Key": CallBudget(6,
        "The proof read, the plan and storage reads and the transaction, between the idempotency record's claim "
        "(PutItem) and its completion (PutItem)."),
    "proofs.add_proof_version": CallBudget(3,
        "The proof with its index entries (one consistent Query), then the pending upload (GetItem: its key, declared "
        "size and type, to check the stored file against), then one transaction: the version, the proof, its index "
        "entries, the upload's deletion, audit and event."),
    "proofs.add_proof_version + Idempotency-Key": CallBudget(5,
        "The Query, the GetItem and the transaction of a version, between the idempotency record's claim (PutItem) and"
        " its completion (PutItem)."),
    "proofs.list_proof_versions": CallBudget(2,
        "The proof is read first (404 in another tenant or once deleted: its versions outlive it in the partition), "
        "then one Query of its versions per page."),
    "proofs.create_proof": CallBudget(4,
        "The plan (GetItem of the subscription) and, when it limits proofs per month, the month's counted proofs "
        "(one Query); one BatchGetItem of the owner's and reviewers' memberships (they must be active members), then "
        "the transaction: the proof, its list-index entries, audit entry and event."),
    "proofs.create_proof + Idempotency-Key": CallBudget(6,
        "As proofs.create_proof, plus the idempotency record claimed (PutItem) before and completed (PutItem) after, "
        "so a retry replays the stored response."),
    "proofs.update_proof": CallBudget(3,
        "A BatchGetItem of the memberships only when the owner or reviewers change, one consistent Query of the "
        "proof's partition (the proof with its list-index entries and decisions, which the transaction rewrites at the"
        " versions read), then the transaction."),
    "proofs.delete_proof": CallBudget(2,
        "The one consistent Query of the proof's partition (the proof with its list-index entries and decisions, which"
        " the transaction rewrites at the versions read), then the transaction that deletes the proof and its "
        "entries."),
    "proofs.submit_proof": CallBudget(3,
        "The one consistent Query of the proof's partition (the proof with its list-index entries and decisions, which"
        " the transaction rewrites at the versions read), a Query of the tenant's plugins (any handling "
        "`proof.before_submit` may refuse it), then the transaction."),
    "proofs.approve_proof": CallBudget(2,
        "The one consistent Query of the proof's partition (the proof with its list-index entries and decisions, which"
        " the transaction rewrites at the versions read), then the transaction (with the decision and, on approval, "
        "the certificate job); a decision that loses a race reads and writes again."),
    "proofs.request_proof_changes": CallBudget(2,
        "The one consistent Query of the proof's partition (the proof with its list-index entries and decisions, which"
        " the transaction rewrites at the versions read), then the transaction with the decision."),
    "proofs.reject_proof": CallBudget(2,
        "The one consistent Query of the proof's partition (the proof with its list-index entries and decisions, which"
        " the transaction rewrites at the versions read), then the transaction with the decision."),
}
