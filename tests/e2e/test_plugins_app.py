"""Plugins on the local stack, through the public API only: the example plugin built from its AssemblyScript
source, uploaded straight to (local) S3, installed by its job, configured, refusing a proof's submit (a
synchronous hook), and counting the proof's versions as `proof.version_added` reaches it through the event path."""

import hashlib

import httpx

from tests.e2e.local_stack import LocalStack, ok, until
from tests.support.plugins import example_plugin

PNG = b"\x89PNG\r\n\x1a\n" + b"poster pixels" * 64
MANIFEST = {"name": "Proof guard", "version": "1.0.0", "type": "processor", "permissions": ["storage"],
            "hooks": ["proof.before_submit", "proof.version_added", "versions"],
            "config": {"type": "object", "properties": {"hold_marker": {"type": "string", "default": "[hold]"}}}}


def _add_version(api: httpx.Client, proof_id: str) -> None:
    upload = ok(api.post(f"/v1/proofs/{proof_id}/uploads", json={"filename": "poster.png",
                                                                  "content_type": "image/png", "size": len(PNG)}))
    sent = httpx.post(upload["url"], data=upload["fields"], files={"file": ("poster.png", PNG, "image/png")})
    assert sent.status_code in (200, 201, 204), sent.text
    ok(api.post(f"/v1/proofs/{proof_id}/versions", json={"upload_id": upload["upload_id"],
                                                         "sha256": hashlib.sha256(PNG).hexdigest()}))


def test_the_example_plugin_guards_submits_and_counts_versions_through_the_event_path(stack: LocalStack) -> None:
    api = httpx.Client(base_url=stack.base, timeout=30)
    owner = ok(api.post("/v1/signup", json={"tenant_name": "Studio", "email": "studio@example.com",
                                              "password": "correct horse battery staple"}))
    api.headers["Authorization"] = f"Bearer {owner['access_token']}"
    module = example_plugin()
    upload = ok(api.post("/v1/plugins/uploads", json={"size": len(module),
                                                        "sha256": hashlib.sha256(module).hexdigest()}))
    sent = httpx.post(upload["url"], data=upload["fields"], files={"file": ("example.wasm", module,
                                                                           "application/wasm")})
    assert sent.status_code in (200, 201, 204), sent.text
    started = ok(api.post("/v1/plugins/install", json={"upload_id": upload["upload_id"], "manifest": MANIFEST}))
    plugin = until(lambda: (found := ok(api.get(f"/v1/plugins/{started['id']}")))["status"] != "scanning" and found,
                   "the install job did not finish")
    assert plugin["status"] == "installed" and plugin["security_scan_passed"] is True, plugin["scan_findings"]
    ok(api.put(f"/v1/plugins/{plugin['id']}/config", json={"values": {"hold_marker": "[wait]"}}))

    held = ok(api.post("/v1/proofs", json={"title": "[wait] Spring poster",
                                             "reviewers": [{"user_id": owner["user"]["id"]}]}))
    _add_version(api, held["id"])
    _add_version(api, held["id"])
    refused = api.post(f"/v1/proofs/{held['id']}/submit")
    assert refused.status_code == 409 and refused.json()["refused_by"] == plugin["id"], refused.text

    def counted() -> object:
        ran = ok(api.post("/v1/plugins/hooks/versions", json={"payload": {}}))
        return ran["results"][0]["answer"] == {"versions_added": 2}

    until(counted, "the plugin did not receive both proof.version_added events")
    metrics = ok(api.get(f"/v1/plugins/{plugin['id']}/metrics"))["hooks"]
    assert {hook["hook"]: hook["errors"] for hook in metrics}["proof.version_added"] == 0
