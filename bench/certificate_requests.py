"""Set-up for the approval certificate's operation in bench/aws_calls.py: a proof the fixture's owner reviewed and
approved, its certificate rendered by calling the job's function (no worker runs in the bench)."""

from typing import TYPE_CHECKING

from atrium.apps.proofs.proofs import certificates
from atrium.kernel.jobs import JobContext
from atrium.kernel.tenancy import tenant_scope

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request


def issued_certificate(fixture: "Fixture", spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request
    from bench.proof_version_requests import add_version

    owner_id = fixture.client.get("/v1/me", headers=fixture.auth).json()["user"]["id"]
    proof_id = str(fixture.post("/v1/proofs", {"title": "Bench poster", "reviewers": [{"user_id": owner_id}]})["id"])
    add_version(fixture, proof_id)
    fixture.post(f"/v1/proofs/{proof_id}/submit", {})
    fixture.post(f"/v1/proofs/{proof_id}/approve", {"version": 1})
    job_id = next(job["id"] for job in fixture.client.get("/v1/jobs", headers=fixture.auth).json()["data"]
                  if job["kind"] == certificates.RENDER_CERTIFICATE.name and job["status"] == "queued")
    with tenant_scope(fixture.tenant_id):
        certificates.render(JobContext(tenant_id=fixture.tenant_id, job_id=job_id,
                                       params={"proof_id": proof_id, "version": 1}, attempt=1,
                                       report=lambda _fraction, _message: None))
    return Request(path=spec.path.format(proof_id=proof_id))
