"""Set-up for the proofs app's upload and version operations in bench/aws_calls.py: a draft of the fixture
tenant, and files sent to S3 through the presigned form as a browser sends them (with requests: in-process moto
intercepts it, and a moto server receives it)."""

import hashlib
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request

CONTENT = b"\x89PNG\r\n\x1a\n" + b"bench" * 200
NEW_UPLOAD = {"filename": "bench.png", "content_type": "image/png", "size": len(CONTENT)}


def _draft(fixture: "Fixture") -> str:
    return str(fixture.post("/v1/proofs", {"title": "Bench proof"})["id"])


def _sent_upload(fixture: "Fixture", proof_id: str) -> dict[str, Any]:
    """The body that records the file as a version, once it is in S3."""
    upload = fixture.post(f"/v1/proofs/{proof_id}/uploads", NEW_UPLOAD)
    fields = upload["fields"]
    requests.post(upload["url"], data=fields, files={"file": ("bench.png", CONTENT, fields["Content-Type"])},
               timeout=10).raise_for_status()
    return {"upload_id": upload["upload_id"], "sha256": hashlib.sha256(CONTENT).hexdigest()}


def add_version(fixture: "Fixture", proof_id: str) -> None:
    fixture.post(f"/v1/proofs/{proof_id}/versions", _sent_upload(fixture, proof_id))


def _with_version(fixture: "Fixture") -> str:
    proof_id = _draft(fixture)
    add_version(fixture, proof_id)
    return proof_id


def upload_request(fixture: "Fixture", spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(path=spec.path.format(proof_id=_draft(fixture)), body=NEW_UPLOAD)


def version_request(fixture: "Fixture", spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    proof_id = _draft(fixture)
    return Request(path=spec.path.format(proof_id=proof_id), body=_sent_upload(fixture, proof_id))


def version_path(fixture: "Fixture", spec: "RouteSpec") -> "Request":
    """A path to version 1 of a proof (or to its versions)."""
    from bench.aws_calls import Request

    return Request(path=spec.path.format(proof_id=_with_version(fixture), version="1"))


PROOF_VERSION_SETUP = {
    "proofs.request_proof_upload": upload_request,
    "proofs.add_proof_version": version_request,
    "proofs.list_proof_versions": version_path,
    "proofs.get_proof_version": version_path,
    "proofs.download_proof_version": version_path,
}
