"""A plugin's configuration (docs/plugins.md, "Configuration"): checked against its manifest's schema, secrets
written but never read back, read by the plugin through `config_get` (defaults included) and `secrets_get` (with
its permission), audited without values, and its tenant's alone."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.plugins.testing import installed, uploaded
from tests.api.conftest import Tenant
from tests.support.plugins import example_plugin, relay, wasm
from tests.support.proofs import upload_version

PLUGINS = "/v1/plugins"
SETTINGS = {"type": "object", "required": ["hold_marker"], "properties": {
    "hold_marker": {"type": "string", "minLength": 1, "maxLength": 20, "default": "[hold]"},
    "api_token": {"type": "string", "writeOnly": True, "minLength": 8},
    "retries": {"type": "integer", "minimum": 0, "maximum": 5}}}
GUARD = {"name": "Proof guard", "version": "1.0.0", "type": "processor", "permissions": ["storage"],
         "hooks": ["proof.before_submit"],
         "config": SETTINGS}
RELAY = {"name": "Relay", "version": "1.0.0", "type": "utility", "permissions": ["secrets"],
         "hooks": ["config_get", "secrets_get"], "config": SETTINGS}


def _config(client: TestClient, tenant: Tenant, plugin: dict[str, Any]) -> Any:
    return client.get(f"{PLUGINS}/{plugin['id']}/config", headers=tenant.auth)


def _put(client: TestClient, tenant: Tenant, plugin: dict[str, Any], values: dict[str, Any]) -> Any:
    return client.put(f"{PLUGINS}/{plugin['id']}/config", json={"values": values}, headers=tenant.auth)


def _run(client: TestClient, tenant: Tenant, hook: str, payload: dict[str, Any]) -> Any:
    ran = client.post(f"{PLUGINS}/hooks/{hook}", json={"payload": payload}, headers=tenant.auth)
    assert ran.status_code == 200, ran.text
    (result,) = ran.json()["results"]
    return result


def test_settings_and_secrets_are_written_read_back_without_secrets_and_kept_when_left_out(
        client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    assert plugin["config_schema"]["properties"]["api_token"]["writeOnly"] is True
    fresh = _config(client, tenant_a, plugin).json()
    assert fresh["values"] == {"hold_marker": "[hold]"} and fresh["secrets"] == {"api_token": False}
    written = _put(client, tenant_a, plugin, {"hold_marker": "[wait]", "api_token": "tok-12345678", "retries": 2})
    assert written.status_code == 200, written.text
    assert written.json()["values"] == {"hold_marker": "[wait]", "retries": 2}
    assert written.json()["secrets"] == {"api_token": True} and "tok-12345678" not in written.text
    kept = _put(client, tenant_a, plugin, {"hold_marker": "[wait]"}).json()
    assert kept["secrets"] == {"api_token": True} and kept["values"] == {"hold_marker": "[wait]"}
    assert "tok-12345678" not in _config(client, tenant_a, plugin).text
    cleared = _put(client, tenant_a, plugin, {"hold_marker": "[wait]", "api_token": None}).json()
    assert cleared["secrets"] == {"api_token": False}
    entries = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant_a.auth).json()["data"]
    configured = [entry for entry in entries if entry["action"] == "plugin.configured"]
    assert len(configured) == 3 and "tok-12345678" not in str(configured)


def test_the_plugin_reads_its_settings_and_acts_on_them(client: TestClient, tenant_a: Tenant) -> None:
    installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    proof = client.post("/v1/proofs", json={"title": "[wait] Poster", "reviewers": [{"user_id": tenant_a.user_id}]},
                        headers=tenant_a.auth).json()
    upload_version(client, tenant_a, proof["id"])
    plugin_id = client.get(PLUGINS, headers=tenant_a.auth).json()["data"][0]["id"]
    assert _put(client, tenant_a, {"id": plugin_id}, {"hold_marker": "[wait]"}).status_code == 200
    refused = client.post(f"/v1/proofs/{proof['id']}/submit", headers=tenant_a.auth)
    assert refused.status_code == 409 and refused.json()["reason"] == "its title says [wait]"
    assert _put(client, tenant_a, {"id": plugin_id}, {"hold_marker": "[hold]"}).status_code == 200
    assert client.post(f"/v1/proofs/{proof['id']}/submit", headers=tenant_a.auth).json()["status"] == "in_review"


def test_config_get_gives_settings_with_defaults_and_secrets_get_needs_its_permission(
        client: TestClient, tenant_a: Tenant) -> None:
    granted = installed(client, tenant_a.id, tenant_a.auth, RELAY, wasm(relay("config_get", "secrets_get")))
    assert _run(client, tenant_a, "config_get", {})["answer"] == {"hold_marker": "[hold]"}
    assert _run(client, tenant_a, "secrets_get", {"key": "api_token"})["answer"] is None
    _put(client, tenant_a, granted, {"hold_marker": "!", "api_token": "tok-12345678"})
    assert _run(client, tenant_a, "config_get", {})["answer"] == {"hold_marker": "!"}
    assert _run(client, tenant_a, "secrets_get", {"key": "api_token"})["answer"] == {"value": "tok-12345678"}
    client.post(f"{PLUGINS}/{granted['id']}/unload", headers=tenant_a.auth)
    # The same module without the permission: its scan refuses the import, so a module importing secrets_get
    # never runs without it.
    refused = installed(client, tenant_a.id, tenant_a.auth, {**RELAY, "permissions": []},
                        wasm(relay("config_get", "secrets_get")))
    assert refused["status"] == "rejected"
    assert "imports atrium.secrets_get without the permission 'secrets'" in refused["scan_findings"]


def test_bad_settings_are_422_naming_each_property_and_change_nothing(client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    bad = _put(client, tenant_a, plugin, {"hold_marker": 3, "retries": 9, "colour": "red", "api_token": "short"})
    assert bad.status_code == 422
    assert {error["field"] for error in bad.json()["errors"]} == {
        "body.values.hold_marker", "body.values.retries", "body.values.colour", "body.values.api_token"}
    assert _put(client, tenant_a, plugin, {"retries": 1}).json()["errors"][0]["field"] == "body.values.hold_marker"
    assert _config(client, tenant_a, plugin).json()["updated_at"] is None


def test_manifest_schemas_are_validated(client: TestClient, tenant_a: Tenant) -> None:
    for config in ({"properties": {"x": {"type": "array"}}}, {"required": ["missing"]},
                   {"properties": {"x": {"type": "integer", "default": "one"}}},
                   {"properties": {"x": {"type": "string", "pattern": "("}}},
                   {"properties": {"x": {"type": "string", "writeOnly": True, "default": "a"}}},
                   {"properties": {"model_dump": {"type": "string"}}}):
        refused = client.post(f"{PLUGINS}/install", headers=tenant_a.auth, json={
            "upload_id": uploaded(client, tenant_a.auth), "manifest": {**GUARD, "config": config}})
        assert refused.status_code == 422, (config, refused.text)


def test_another_tenant_neither_reads_nor_writes_the_config(client: TestClient, tenant_a: Tenant,
                                                             tenant_b: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, GUARD, example_plugin())
    _put(client, tenant_a, plugin, {"hold_marker": "[a]", "api_token": "tok-12345678"})
    assert _config(client, tenant_b, plugin).status_code == 404
    assert _put(client, tenant_b, plugin, {"hold_marker": "[b]"}).status_code == 404
    assert _config(client, tenant_a, plugin).json()["values"]["hold_marker"] == "[a]"


def test_a_pattern_is_a_python_regular_expression_checked_as_written(client: TestClient, tenant_a: Tenant) -> None:
    settings = {"properties": {"code": {"type": "string", "pattern": "^(?=[A-Z])[A-Z0-9]{3}$", "default": "AB1"}}}
    plugin = installed(client, tenant_a.id, tenant_a.auth, {**GUARD, "config": settings}, example_plugin())
    assert plugin["status"] == "installed"
    assert _put(client, tenant_a, plugin, {"code": "1AB"}).status_code == 422
    assert _put(client, tenant_a, plugin, {"code": "X12"}).json()["values"] == {"code": "X12"}
