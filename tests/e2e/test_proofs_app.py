"""The proofs app on the local stack, through its public API only: a file uploaded straight to (local) S3, the
review, the approval certificate, a comment, a template and the gallery, and the events a webhook receives."""

import hashlib
import io

import httpx
from pypdf import PdfReader
from standardwebhooks import Webhook

from tests.e2e.local_stack import LocalStack, ok, until
from tests.support.webhook_receiver import listening

PNG = b"\x89PNG\r\n\x1a\n" + b"poster pixels" * 64
PROOF_EVENTS = ["proof.created", "proof.version_added", "proof.submitted", "proof.approved",
                "proof.certificate_issued", "proof.commented"]


def test_a_proof_from_upload_to_certificate_with_webhooks_templates_and_the_gallery(stack: LocalStack) -> None:
    api = httpx.Client(base_url=stack.base, timeout=30)
    owner = ok(api.post("/v1/signup", json={"tenant_name": "Studio", "email": "studio@example.com",
                                              "password": "correct horse battery staple"}))
    api.headers["Authorization"] = f"Bearer {owner['access_token']}"
    me = owner["user"]["id"]
    with listening() as receiver:
        endpoint = ok(api.post("/v1/webhook-endpoints", json={"url": receiver.url, "event_types": PROOF_EVENTS}))

        proof = ok(api.post("/v1/proofs", json={"title": "Spring poster", "tags": ["print"],
                                                  "reviewers": [{"user_id": me}]}))
        path = f"/v1/proofs/{proof['id']}"
        upload = ok(api.post(f"{path}/uploads", json={"filename": "poster.png", "content_type": "image/png",
                                                       "size": len(PNG)}))
        sent = httpx.post(upload["url"], data=upload["fields"], files={"file": ("poster.png", PNG, "image/png")})
        assert sent.status_code in (200, 201, 204), sent.text
        version = ok(api.post(f"{path}/versions", json={"upload_id": upload["upload_id"],
                                                          "sha256": hashlib.sha256(PNG).hexdigest()}))
        assert version["version"] == 1
        stored = httpx.get(api.get(f"{path}/versions/1/download").headers["location"])
        assert stored.content == PNG

        ok(api.post(f"{path}/comments", json={"body": "Ready for review", "version": 1,
                                               "region": {"x": 0.1, "y": 0.1, "w": 0.5, "h": 0.2}}))
        assert ok(api.post(f"{path}/submit"))["status"] == "in_review"
        assert ok(api.post(f"{path}/approve", json={"version": 1, "note": "Lovely"}))["status"] == "approved"
        assert ok(api.get("/v1/proofs", params={"status": "approved"}))["data"][0]["id"] == proof["id"]

        certificate = until(lambda: api.get(f"{path}/certificate").status_code == 200
                             and api.get(f"{path}/certificate").json(), "no certificate was issued")
        pdf = httpx.get(certificate["url"]).content
        assert hashlib.sha256(pdf).hexdigest() == certificate["sha256"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "Spring poster" in text and version["sha256"] in text and "studio@example.com" in text

        until(lambda: len(receiver.received) >= len(PROOF_EVENTS), "the proof's events did not all arrive")
        delivered = [Webhook(endpoint["secret"]).verify(r.body, r.headers)["type"] for r in receiver.received]
    assert sorted(delivered) == sorted(PROOF_EVENTS)

    template = ok(api.post("/v1/templates", json={"name": "Poster", "tags": ["print"], "checklist": ["Bleed"],
                                                   "fields": [{"name": "size", "label": "Size", "required": True}]}))
    ok(api.post(f"/v1/templates/{template['id']}/versions"))
    ok(api.post(f"/v1/templates/{template['id']}/versions/1/publish"))
    from_template = ok(api.post(f"/v1/templates/{template['id']}/proofs",
                                 json={"title": "Summer poster", "values": {"size": "A2"}}))
    assert from_template["template"]["checklist"] == ["Bleed"]
    listing = ok(api.post(f"/v1/templates/{template['id']}/gallery", json={}))

    other = ok(api.post("/v1/signup", json={"tenant_name": "Agency", "email": "agency@example.com",
                                              "password": "correct horse battery staple"}))
    agency = {"Authorization": f"Bearer {other['access_token']}"}
    found = ok(api.get("/v1/gallery/templates", params={"q": "post"}, headers=agency))["data"]
    assert [t["id"] for t in found] == [listing["id"]]
    ok(api.put(f"/v1/gallery/templates/{listing['id']}/rating", json={"stars": 4}, headers=agency))
    imported = ok(api.post(f"/v1/gallery/templates/{listing['id']}/import", headers=agency))
    assert imported["name"] == "Poster"
    assert api.get(path, headers=agency).status_code == 404  # the studio's proof stays the studio's
