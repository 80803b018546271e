"""Plugins' hooks (docs/plugins.md, "Hooks"): a synchronous hook an app declares, where plugins may refuse what is
being done (a proof's submit); event hooks run through the event path; a hook run by hand; plugins in their
priority order, unloaded ones left out; a failing plugin never fails the work it hooks; metrics per hook; and the
runner, which holds no table grant, reached through its declaration."""

import json
from typing import Any

import boto3
import pytest
import wasmtime
from fastapi.testclient import TestClient

from atrium.kernel import runners
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium.plugins import hooks, runner
from atrium.plugins.testing import installed, uploaded
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.plugins import TOOLS, example_plugin, wasm
from tests.support.proofs import upload_version

PLUGINS = "/v1/plugins"
GUARD = {"name": "Proof guard", "version": "1.0.0", "type": "processor", "permissions": ["storage"],
         "hooks": ["proof.before_submit", "proof.version_added", "versions"]}


def answering(hook: str, answer: dict[str, Any]) -> bytes:
    """A module whose ``hook`` answers ``answer`` whatever its input."""
    text = json.dumps(answer).replace("\\", "\\\\").replace('"', '\\"')
    return bytes(wasmtime.wat2wasm(f"""(module
      (memory (export "memory") 1)
      (data (i32.const 16) "{text}")
      (global $heap (mut i32) (i32.const 4096))
      (func (export "alloc") (param $n i32) (result i32)
        (global.get $heap) (global.set $heap (i32.add (global.get $heap) (local.get $n))))
      (func (export "hook_{hook.replace('.', '_')}") (param i32 i32) (result i64)
        (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const {len(json.dumps(answer).encode())}))))"""))


def trapping(hook: str) -> bytes:
    return bytes(wasmtime.wat2wasm(f"""(module
      (memory (export "memory") 1)
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "hook_{hook.replace('.', '_')}") (param i32 i32) (result i64) unreachable))"""))


def refusing(reason: str) -> bytes:
    return answering("proof.before_submit", {"allow": False, "reason": reason})


def _manifest(name: str, hooks: list[str], priority: int = 100) -> dict[str, Any]:
    return {"name": name, "version": "1.0.0", "type": "processor", "hooks": hooks, "priority": priority}


def _proof_to_submit(client: TestClient, tenant: Tenant, title: str) -> str:
    proof = client.post("/v1/proofs", json={"title": title, "reviewers": [{"user_id": tenant.user_id}]},
                        headers=tenant.auth).json()
    upload_version(client, tenant, proof["id"])
    return str(proof["id"])


def _submit(client: TestClient, tenant: Tenant, proof_id: str) -> Any:
    return client.post(f"/v1/proofs/{proof_id}/submit", headers=tenant.auth)


def _run(client: TestClient, tenant: Tenant, hook: str, **body: Any) -> Any:
    return client.post(f"{PLUGINS}/hooks/{hook}", json=body, headers=tenant.auth)


def test_the_example_plugin_refuses_a_submit_its_rule_forbids_and_lets_others_through(
        client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    assert plugin["status"] == "installed", plugin["scan_findings"]
    held = _proof_to_submit(client, tenant_a, "[hold] Spring poster")
    refused = _submit(client, tenant_a, held)
    assert refused.status_code == 409, refused.text
    assert refused.json()["refused_by"] == plugin["id"] and refused.json()["reason"] == "its title says [hold]"
    assert "Proof guard" in refused.json()["detail"]
    assert client.get(f"/v1/proofs/{held}", headers=tenant_a.auth).json()["status"] == "draft"
    fine = _proof_to_submit(client, tenant_a, "Spring poster")
    assert _submit(client, tenant_a, fine).json()["status"] == "in_review"


def test_plugins_run_in_priority_order_and_an_unloaded_one_not_at_all(client: TestClient, tenant_a: Tenant) -> None:
    later = installed(client, tenant_a.id, tenant_a.auth, _manifest("Later", ["proof.before_submit"], 50),
                      refusing("later"))
    first = installed(client, tenant_a.id, tenant_a.auth, _manifest("First", ["proof.before_submit"], 10),
                      refusing("first"))
    proof_id = _proof_to_submit(client, tenant_a, "Poster")
    assert _submit(client, tenant_a, proof_id).json()["refused_by"] == first["id"]
    unloaded = client.post(f"{PLUGINS}/{first['id']}/unload", headers=tenant_a.auth)
    assert unloaded.status_code == 200 and unloaded.json()["loaded"] is False
    assert _submit(client, tenant_a, proof_id).json()["refused_by"] == later["id"]
    assert client.post(f"{PLUGINS}/{later['id']}/unload", headers=tenant_a.auth).status_code == 200
    assert _submit(client, tenant_a, proof_id).json()["status"] == "in_review"
    reloaded = client.post(f"{PLUGINS}/{first['id']}/load", headers=tenant_a.auth)
    assert reloaded.status_code == 200 and reloaded.json()["loaded"] is True
    actions = [entry["action"] for entry in client.get("/v1/audit-events", params={"limit": 100},
                                                       headers=tenant_a.auth).json()["data"]]
    assert actions.count("plugin.unloaded") == 2 and actions.count("plugin.loaded") == 1


def test_a_failing_plugin_does_not_fail_the_submit_and_is_counted(client: TestClient, tenant_a: Tenant) -> None:
    broken = installed(client, tenant_a.id, tenant_a.auth, _manifest("Broken", ["proof.before_submit"]),
                       trapping("proof.before_submit"))
    proof_id = _proof_to_submit(client, tenant_a, "Poster")
    assert _submit(client, tenant_a, proof_id).json()["status"] == "in_review"
    counted = client.get(f"{PLUGINS}/{broken['id']}/metrics", headers=tenant_a.auth).json()
    (hook,) = counted["hooks"]
    assert hook["hook"] == "proof.before_submit" and hook["invocations"] == 1 and hook["errors"] == 1
    assert hook["p50_ms"] is not None and counted["hours"][0]["invocations"] == 1


def test_a_runner_failure_lets_the_submit_through(client: TestClient, tenant_a: Tenant,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    installed(client, tenant_a.id, tenant_a.auth, _manifest("Refuser", ["proof.before_submit"]), refusing("no"))

    def unavailable(_spec: runners.RunnerSpec, _request: dict[str, Any]) -> dict[str, Any]:
        raise runners.RunnerFailed("the runner is throttled")

    monkeypatch.setattr("atrium.plugins.hooks.invoke", unavailable)
    assert _submit(client, tenant_a, _proof_to_submit(client, tenant_a, "Poster")).json()["status"] == "in_review"


def test_event_hooks_receive_the_event_through_the_event_path(client: TestClient, tenant_a: Tenant,
                                                              worker: Worker) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    proof = client.post("/v1/proofs", json={"title": "Poster"}, headers=tenant_a.auth).json()
    upload_version(client, tenant_a, proof["id"])
    upload_version(client, tenant_a, proof["id"])
    worker.drain()
    ran = _run(client, tenant_a, "versions")
    assert ran.status_code == 200, ran.text
    (result,) = ran.json()["results"]
    assert result["plugin_id"] == plugin["id"] and result["answer"] == {"versions_added": 2}
    counted = client.get(f"{PLUGINS}/{plugin['id']}/metrics", headers=tenant_a.auth).json()["hooks"]
    assert {hook["hook"]: hook["invocations"] for hook in counted} == {"proof.version_added": 2, "versions": 1}


def test_a_hook_run_by_hand_answers_each_plugins_result(client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, {**GUARD, "hooks": ["versions"], "priority": 3},
                       example_plugin())
    ran = _run(client, tenant_a, "versions", payload={"any": "thing"}, plugin_id=plugin["id"]).json()
    assert ran["hook"] == "versions"
    (result,) = ran["results"]
    assert result["outcome"] == "ok" and result["fuel_used"] > 0 and result["denied"] == {}
    assert _run(client, tenant_a, "nobody_handles_it").status_code == 404
    assert _run(client, tenant_a, "versions", plugin_id="plg_01JDQ3Z8M4W6N0B2C4E6G8J0K2").status_code == 404
    assert _run(client, tenant_a, "x" * 129).status_code == 422


def test_hooks_and_metrics_never_cross_tenants(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    assert _run(client, tenant_b, "versions").status_code == 404
    assert _run(client, tenant_b, "versions", plugin_id=plugin["id"]).status_code == 404
    for path in ("metrics",):
        assert client.get(f"{PLUGINS}/{plugin['id']}/{path}", headers=tenant_b.auth).status_code == 404
    for action in ("load", "unload"):
        assert client.post(f"{PLUGINS}/{plugin['id']}/{action}", headers=tenant_b.auth).status_code == 404
    # Tenant B's held proof is B's: A's plugin does not refuse it.
    assert _submit(client, tenant_b, _proof_to_submit(client, tenant_b, "[hold] B")).json()["status"] == "in_review"


def test_the_catalog_lists_the_hooks_and_an_unknown_dotted_hook_is_refused(client: TestClient,
                                                                           tenant_a: Tenant) -> None:
    listed = {hook["name"]: hook for hook in client.get(f"{PLUGINS}/hooks", headers=tenant_a.auth).json()["data"]}
    assert listed["proof.before_submit"]["kind"] == "synchronous"
    assert listed["proof.version_added"]["kind"] == "event"
    assert "plugin.event_emitted" not in listed  # a plugin handling what plugins emit could run itself forever
    for hook in ("proof.befor_submit", "plugin.event_emitted"):
        refused = client.post(f"{PLUGINS}/install", headers=tenant_a.auth, json={
            "upload_id": uploaded(client, tenant_a.auth), "manifest": _manifest("Typo", [hook])})
        assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "unknown_hook"


def test_a_module_that_cannot_be_read_is_reported_missing_not_a_failure_of_the_request(
        client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, {**GUARD, "hooks": ["versions"]}, example_plugin())
    bucket = settings().files_bucket
    key = f"tenants/{tenant_a.id}/plugins/{plugin['id']}/{plugin['sha256']}.wasm"
    boto3.client("s3", region_name=settings().region).put_object(Bucket=bucket, Key=key, Body=b"not the module")
    runner._modules.clear()
    ran = _run(client, tenant_a, "versions")
    assert ran.status_code == 200, ran.text
    (result,) = ran.json()["results"]
    assert result["outcome"] == "missing" and "not the one installed" in result["error"]


def test_a_plugins_own_limits_apply_within_the_plans(client: TestClient, tenant_a: Tenant) -> None:
    spinner = {"name": "Spinner", "version": "1.0.0", "type": "utility", "hooks": ["spin"],
               "limits": {"fuel": 100_000, "timeout_ms": 2000, "memory_mb": 2}}
    plugin = installed(client, tenant_a.id, tenant_a.auth, spinner, wasm(TOOLS))
    assert plugin["limits"] == {"fuel": 100_000, "timeout_ms": 2000, "memory_bytes": 2 * 1024 * 1024}
    (result,) = _run(client, tenant_a, "spin").json()["results"]
    assert result["outcome"] == "out_of_fuel" and result["fuel_used"] == 100_000
    too_much = client.post(f"{PLUGINS}/install", headers=tenant_a.auth, json={
        "upload_id": uploaded(client, tenant_a.auth), "manifest": {**spinner, "limits": {"timeout_ms": 60_000}}})
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "body.manifest.limits.timeout_ms"


def test_a_synchronous_hooks_whole_time_bounds_its_plugins_and_skips_those_left(client: TestClient,
                                                                                tenant_a: Tenant) -> None:
    spinner = {"name": "Spinner", "version": "1.0.0", "type": "utility", "hooks": ["spin"],
               "limits": {"fuel": 1_000_000_000}}
    for _ in range(3):
        installed(client, tenant_a.id, tenant_a.auth, spinner, wasm(TOOLS))
    with tenant_scope(tenant_a.id):
        results = hooks.run(tenant_a.id, "spin", {}, hooks.handlers(tenant_a.id, "spin"), timeout_ms=200,
                            total_ms=300)
    assert [result.outcome for result in results] == ["timeout", "timeout", "skipped"]
