"""The approval certificate: approving a proof starts a job that stores a PDF of the approval with its SHA-256;
``GET /v1/proofs/{id}/certificate`` leads to it."""

import hashlib
import io
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from atrium.apps.proofs.proofs import certificates
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.jobs import JobContext
from atrium.kernel.tenancy import tenant_scope
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member
from tests.support.proofs import upload_version

PROOFS = "/v1/proofs"


def _proof(client: TestClient, tenant: Tenant, reviewers: list[dict[str, Any]], title: str = "Spring poster") -> str:
    response = client.post(PROOFS, json={"title": title, "reviewers": reviewers}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    proof_id: str = response.json()["id"]
    return proof_id


def _decide(client: TestClient, proof_id: str, who: Member, action: str, version: int, note: str = "") -> None:
    response = client.post(f"{PROOFS}/{proof_id}/{action}", json={"version": version, "note": note},
                           headers=who.auth)
    assert response.status_code == 200, response.text


def _submit(client: TestClient, tenant: Tenant, proof_id: str) -> None:
    assert client.post(f"{PROOFS}/{proof_id}/submit", headers=tenant.auth).status_code == 200


def _certificate_job(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    jobs = client.get("/v1/jobs", headers=tenant.auth).json()["data"]
    job: dict[str, Any] = next(job for job in jobs if job["kind"] == certificates.RENDER_CERTIFICATE.name)
    return job


def _stored(key: str) -> bytes:
    s3 = boto3.client("s3", region_name=settings().region)
    body: bytes = s3.get_object(Bucket=settings().files_bucket, Key=key)["Body"].read()
    return body


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _issued_events(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    events = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant.auth).json()["data"]
    return [event for event in events if event["action"] == "proof.certificate_issued"]


@pytest.fixture
def approved(client: TestClient, tenant_a: Tenant, worker: Worker) -> dict[str, Any]:
    """A proof approved at version 2 (changes were requested on version 1), its certificate job run."""
    ann, bob, cat = (add_member(tenant_a.id, "member", email=f"{name}@example.com") for name in ("ann", "bob", "cat"))
    proof_id = _proof(client, tenant_a, [{"user_id": ann.user_id}, {"user_id": bob.user_id},
                                         {"user_id": cat.user_id, "required": False}])
    upload_version(client, tenant_a, proof_id, b"first draft", filename="poster-v1.png")
    _submit(client, tenant_a, proof_id)
    _decide(client, proof_id, ann, "request-changes", 1, note="Logo too small")
    version = upload_version(client, tenant_a, proof_id, b"second draft, bigger logo", filename="poster-v2.png")
    _submit(client, tenant_a, proof_id)
    _decide(client, proof_id, ann, "approve", 2, note="Much better")
    _decide(client, proof_id, bob, "approve", 2)
    worker.drain()
    return {"proof_id": proof_id, "version": version, "reviewers": (ann, bob, cat)}


def test_approval_stores_a_certificate_listing_the_approval(client: TestClient, tenant_a: Tenant,
                                                             approved: dict[str, Any]) -> None:
    proof_id = approved["proof_id"]
    job = _certificate_job(client, tenant_a)
    assert job["status"] == "succeeded", job
    response = client.get(f"{PROOFS}/{proof_id}/certificate", headers=tenant_a.auth)
    assert response.status_code == 200, response.text
    certificate = response.json()
    key = f"tenants/{tenant_a.id}/proofs/{proof_id}/certificate-v2.pdf"
    assert key in certificate["url"] and certificate["url_expires_at"] > certificate["issued_at"]
    pdf = _stored(key)
    assert certificate["version"] == 2 and certificate["size"] == len(pdf) == job["result"]["bytes"]
    assert certificate["sha256"] == hashlib.sha256(pdf).hexdigest() == job["result"]["sha256"]
    head = boto3.client("s3", region_name=settings().region).head_object(Bucket=settings().files_bucket, Key=key)
    assert head["ContentType"] == "application/pdf"

    text = _text(pdf)
    version = approved["version"]
    assert "Spring poster" in text and proof_id in text and version["sha256"] in text and "poster-v2.png" in text
    for reviewer in approved["reviewers"]:
        assert reviewer.email in text
    decisions = client.get(f"{PROOFS}/{proof_id}/decisions", headers=tenant_a.auth).json()["data"]
    on_v2 = [d for d in decisions if d["version"] == 2]
    assert [d["decision"] for d in on_v2] == ["approved", "approved"]
    for decision in on_v2:
        assert decision["decided_at"] in text and decision["ip"] in text
    assert "Note: Much better" in text
    assert "Logo too small" not in text and "changes_requested" not in text  # version 1's decision
    assert [e["targets"][0]["id"] for e in _issued_events(client, tenant_a)] == [proof_id]


def test_a_retried_render_issues_nothing_twice(client: TestClient, tenant_a: Tenant,
                                               approved: dict[str, Any]) -> None:
    job = _certificate_job(client, tenant_a)
    before = client.get(f"{PROOFS}/{approved['proof_id']}/certificate", headers=tenant_a.auth).json()
    with tenant_scope(tenant_a.id):
        result = certificates.render(JobContext(tenant_id=tenant_a.id, job_id=job["id"], params={
            "proof_id": approved["proof_id"], "version": 2}, attempt=2, report=lambda _fraction, _message: None))
    assert (result["sha256"], result["bytes"]) == (job["result"]["sha256"], job["result"]["bytes"])
    after = client.get(f"{PROOFS}/{approved['proof_id']}/certificate", headers=tenant_a.auth).json()
    assert {k: after[k] for k in ("version", "sha256", "size", "issued_at")} == {
        k: before[k] for k in ("version", "sha256", "size", "issued_at")}
    assert len(_issued_events(client, tenant_a)) == 1


def test_no_certificate_until_approved(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    reviewer = add_member(tenant_a.id, "member")
    proof_id = _proof(client, tenant_a, [{"user_id": reviewer.user_id}])
    upload_version(client, tenant_a, proof_id)
    _submit(client, tenant_a, proof_id)
    response = client.get(f"{PROOFS}/{proof_id}/certificate", headers=tenant_a.auth)
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    with tenant_scope(tenant_a.id), pytest.raises(Conflict, match="not approved at version 1"):
        certificates.render(JobContext(tenant_id=tenant_a.id, job_id="job_x", params={
            "proof_id": proof_id, "version": 1}, attempt=1, report=lambda _fraction, _message: None))
    worker.drain()
    assert client.get(f"{PROOFS}/{proof_id}/certificate", headers=tenant_a.auth).status_code == 404


def test_unencodable_text_renders(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    reviewer = add_member(tenant_a.id, "member")
    proof_id = _proof(client, tenant_a, [{"user_id": reviewer.user_id}], title="Affiche du printemps — 春 ✓")
    upload_version(client, tenant_a, proof_id, filename="affiche-été.png")
    _submit(client, tenant_a, proof_id)
    _decide(client, proof_id, reviewer, "approve", 1, note="Très bien 👍")
    worker.drain()
    certificate = client.get(f"{PROOFS}/{proof_id}/certificate", headers=tenant_a.auth).json()
    text = _text(_stored(f"tenants/{tenant_a.id}/proofs/{proof_id}/certificate-v1.pdf"))
    assert certificate["version"] == 1
    assert "Affiche du printemps ? ? ?" in text and "affiche-ete.png" in text and "Très bien ?" in text


def test_another_tenant_gets_404(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                 approved: dict[str, Any]) -> None:
    path = f"{PROOFS}/{approved['proof_id']}/certificate"
    assert client.get(path, headers=tenant_b.auth).status_code == 404
    assert client.get(f"{PROOFS}/prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2/certificate", headers=tenant_a.auth).status_code == 404
    assert client.get(path, headers=tenant_a.auth).status_code == 200
