"""Uploads straight to S3 and proof versions: the presigned POST, verification of what arrived, versions that
reset approvals, listing, download, and tenant isolation.

moto accepts a presigned POST without checking its policy's conditions, so the policy document is checked on
its own (``test_the_upload_policy_fixes_key_type_and_size``) and the verification is what the other tests
exercise (a wrong size or type reaches the bucket here, as it cannot on AWS)."""

import base64
import hashlib
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests
from fastapi.testclient import TestClient

from atrium.apps.proofs.proofs.models import ProofUploadItem
from atrium.apps.proofs.proofs.schemas import MAX_UPLOAD_BYTES
from atrium.kernel import clock
from atrium.kernel.tenancy import tenant_scope
from tests.api.conftest import Tenant
from tests.support.people import add_member
from tests.support.proofs import PNG, request_upload, send_file, upload_version

Json = dict[str, Any]


def _proof(client: TestClient, tenant: Tenant, **fields: Any) -> Json:
    response = client.post("/v1/proofs", json={"title": "Poster", **fields}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    proof: Json = response.json()
    return proof


def _record(client: TestClient, tenant: Tenant, proof_id: str, upload_id: str, sha256: str) -> Any:
    return client.post(f"/v1/proofs/{proof_id}/versions", json={"upload_id": upload_id, "sha256": sha256},
                       headers=tenant.auth)


def _refused(response: Any, field: str, code: str) -> None:
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(f"body.{field}", code)]


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_a_new_version_resets_the_approvals(client: TestClient, tenant_a: Tenant) -> None:
    other = add_member(tenant_a.id, "member")
    proof = _proof(client, tenant_a, reviewers=[{"user_id": tenant_a.user_id}, {"user_id": other.user_id}])
    first = upload_version(client, tenant_a, proof["id"])
    assert first | {"created_at": None} == {
        "version": 1, "filename": "proof.png", "content_type": "image/png", "size": len(PNG), "sha256": _sha(PNG),
        "uploaded_by": tenant_a.user_id, "created_at": None}
    assert client.post(f"/v1/proofs/{proof['id']}/submit", headers=tenant_a.auth).status_code == 200
    approved = client.post(f"/v1/proofs/{proof['id']}/approve", json={"version": 1}, headers=tenant_a.auth)
    assert approved.json()["reviewers"][0]["approved_current_version"] is True

    second = upload_version(client, tenant_a, proof["id"], content=b"%PDF-1.7 v2", content_type="application/pdf")

    assert second["version"] == 2 and second["content_type"] == "application/pdf"
    now = client.get(f"/v1/proofs/{proof['id']}", headers=tenant_a.auth).json()
    assert now["current_version"] == 2 and now["status"] == "in_review"
    assert [r["approved_current_version"] for r in now["reviewers"]] == [False, False]
    stale = client.post(f"/v1/proofs/{proof['id']}/approve", json={"version": 1}, headers=other.auth)
    assert stale.status_code == 409  # decisions refer to a version: the old one is superseded
    events = client.get("/v1/audit-events?action=proof.version_added", headers=tenant_a.auth).json()["data"]
    assert len(events) == 2


def test_recording_answers_the_version_and_where_it_is(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload = request_upload(client, tenant_a, proof["id"], size=len(PNG), filename="Épreuve \"finale\"/../x?.png")
    send_file(upload, PNG)
    response = _record(client, tenant_a, proof["id"], upload["upload_id"], _sha(PNG).upper())
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/proofs/{proof['id']}/versions/1"
    assert response.json()["filename"] == "x_.png" and response.json()["sha256"] == _sha(PNG)
    assert client.get(response.headers["location"], headers=tenant_a.auth).json() == response.json()


def test_the_upload_policy_fixes_key_type_and_size(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload = request_upload(client, tenant_a, proof["id"], size=1234, content_type="video/mp4")
    key = upload["fields"]["key"]
    assert key == f"tenants/{tenant_a.id}/proofs/{proof['id']}/{upload['upload_id']}"
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": key} in conditions and {"Content-Type": "video/mp4"} in conditions
    assert ["content-length-range", 1234, 1234] in conditions
    assert {"bucket": urlparse(upload["url"]).hostname.split(".")[0]} in conditions
    expires = [datetime.fromisoformat(value.replace("Z", "+00:00")) for value in (policy["expiration"],
                                                                                 upload["expires_at"])]
    assert abs((expires[0] - expires[1]).total_seconds()) < 2
    assert expires[1] - clock.now() > timedelta(minutes=59)


def test_nothing_uploaded_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    _refused(_record(client, tenant_a, proof["id"], upload["upload_id"], _sha(PNG)), "upload_id", "file_missing")


def test_a_file_of_another_size_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload = request_upload(client, tenant_a, proof["id"], size=len(PNG) + 1)
    send_file(upload, PNG)
    _refused(_record(client, tenant_a, proof["id"], upload["upload_id"], _sha(PNG)), "upload_id", "size_mismatch")


def test_a_file_stored_as_another_type_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(upload | {"fields": upload["fields"] | {"Content-Type": "text/html"}}, PNG)
    _refused(_record(client, tenant_a, proof["id"], upload["upload_id"], _sha(PNG)), "upload_id",
             "content_type_mismatch")


def test_a_wrong_hash_is_refused_and_the_upload_can_still_be_recorded(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(upload, PNG)
    _refused(_record(client, tenant_a, proof["id"], upload["upload_id"], _sha(b"other")), "sha256", "sha256_mismatch")
    assert client.get(f"/v1/proofs/{proof['id']}", headers=tenant_a.auth).json()["current_version"] is None
    assert _record(client, tenant_a, proof["id"], upload["upload_id"], _sha(PNG)).status_code == 201


def test_unknown_recorded_and_expired_uploads_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    for upload_id in ("upl_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "nonsense", "prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2"):
        _refused(_record(client, tenant_a, proof["id"], upload_id, _sha(PNG)), "upload_id", "unknown_upload")
    recorded = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(recorded, PNG)
    assert _record(client, tenant_a, proof["id"], recorded["upload_id"], _sha(PNG)).status_code == 201
    _refused(_record(client, tenant_a, proof["id"], recorded["upload_id"], _sha(PNG)), "upload_id", "unknown_upload")
    expired = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(expired, PNG)
    with tenant_scope(tenant_a.id):  # past its TTL, not yet deleted by DynamoDB
        pending = ProofUploadItem.find(tenant_a.id, proof["id"], id=expired["upload_id"])
        assert pending is not None
        pending.expires_at = clock.now()
        pending.save()
    _refused(_record(client, tenant_a, proof["id"], expired["upload_id"], _sha(PNG)), "upload_id", "unknown_upload")
    other_proof = _proof(client, tenant_a)  # an upload belongs to its proof
    upload = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(upload, PNG)
    _refused(_record(client, tenant_a, other_proof["id"], upload["upload_id"], _sha(PNG)), "upload_id",
             "unknown_upload")


def test_uploads_outside_the_accepted_types_and_sizes_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    for content_type, size in (("image/svg+xml", 10), ("text/html", 10), ("image/png", MAX_UPLOAD_BYTES + 1),
                               ("image/png", 0), ("image/png", "12")):
        response = client.post(f"/v1/proofs/{proof['id']}/uploads", headers=tenant_a.auth,
                               json={"filename": "a.png", "content_type": content_type, "size": size})
        assert response.status_code == 422, (content_type, size, response.text)
    assert request_upload(client, tenant_a, proof["id"], size=MAX_UPLOAD_BYTES)["upload_id"]


def test_a_decided_proof_takes_no_new_version(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a, reviewers=[{"user_id": tenant_a.user_id}])
    upload_version(client, tenant_a, proof["id"])
    pending = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(pending, PNG)
    client.post(f"/v1/proofs/{proof['id']}/submit", headers=tenant_a.auth)
    approved = client.post(f"/v1/proofs/{proof['id']}/approve", json={"version": 1}, headers=tenant_a.auth)
    assert approved.json()["status"] == "approved"

    refused = client.post(f"/v1/proofs/{proof['id']}/uploads", headers=tenant_a.auth,
                          json={"filename": "a.png", "content_type": "image/png", "size": 10})
    assert refused.status_code == 409, refused.text
    assert _record(client, tenant_a, proof["id"], pending["upload_id"], _sha(PNG)).status_code == 409
    assert client.get(f"/v1/proofs/{proof['id']}", headers=tenant_a.auth).json()["current_version"] == 1


def test_versions_are_listed_newest_first_page_by_page(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    for n in range(3):
        upload_version(client, tenant_a, proof["id"], content=PNG + bytes([n]))
    path = f"/v1/proofs/{proof['id']}/versions"
    first = client.get(f"{path}?limit=2", headers=tenant_a.auth).json()
    assert [v["version"] for v in first["data"]] == [3, 2] and first["next_cursor"]
    second = client.get(f"{path}?limit=2&cursor={first['next_cursor']}", headers=tenant_a.auth).json()
    assert [v["version"] for v in second["data"]] == [1] and second["next_cursor"] is None
    assert client.get(f"/v1/proofs/{_proof(client, tenant_a)['id']}/versions", headers=tenant_a.auth).json() == {
        "data": [], "next_cursor": None}


def test_download_redirects_to_the_file(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload_version(client, tenant_a, proof["id"])
    response = client.get(f"/v1/proofs/{proof['id']}/versions/1/download", headers=tenant_a.auth,
                          follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert parse_qs(urlparse(location).query)["response-content-disposition"] == ['attachment; filename="proof.png"']
    assert requests.get(location, timeout=10).content == PNG
    for missing in ("2", "0", "01", "x", "1000000"):
        assert client.get(f"/v1/proofs/{proof['id']}/versions/{missing}/download", headers=tenant_a.auth,
                          follow_redirects=False).status_code == 404


def test_a_deleted_proofs_versions_are_gone(client: TestClient, tenant_a: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload_version(client, tenant_a, proof["id"])
    assert client.delete(f"/v1/proofs/{proof['id']}", headers=tenant_a.auth).status_code == 204
    for path in ("versions", "versions/1", "versions/1/download"):
        assert client.get(f"/v1/proofs/{proof['id']}/{path}", headers=tenant_a.auth,
                          follow_redirects=False).status_code == 404


def test_another_tenant_reaches_nothing(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    proof = _proof(client, tenant_a)
    upload_version(client, tenant_a, proof["id"])
    pending = request_upload(client, tenant_a, proof["id"], size=len(PNG))
    send_file(pending, PNG)
    base = f"/v1/proofs/{proof['id']}"
    before = client.get(base, headers=tenant_a.auth).json()

    assert client.post(f"{base}/uploads", headers=tenant_b.auth,
                       json={"filename": "a.png", "content_type": "image/png", "size": 10}).status_code == 404
    assert _record(client, tenant_b, proof["id"], pending["upload_id"], _sha(PNG)).status_code == 404
    for path in ("versions", "versions/1", "versions/1/download"):
        assert client.get(f"{base}/{path}", headers=tenant_b.auth, follow_redirects=False).status_code == 404

    assert client.get(base, headers=tenant_a.auth).json() == before
    assert _record(client, tenant_a, proof["id"], pending["upload_id"], _sha(PNG)).status_code == 201
