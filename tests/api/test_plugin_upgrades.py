"""Upgrading a plugin with consent (docs/plugins.md, "Upgrades"): a version asking for no more permissions runs at
once; one asking for more waits, the old version running, until an admin approves (recorded as granted by them) or
declines; a version failing its scan is rejected and the old one runs on; only a newer version of the same plugin;
another tenant reaches none of it."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.plugins.testing import COUNTER, MANIFEST, installed, run_install, upgraded, uploaded
from tests.api.conftest import Tenant
from tests.support.people import add_member
from tests.support.plugins import example_plugin

PLUGINS = "/v1/plugins"


def _version(manifest: dict[str, Any], version: str, **changes: Any) -> dict[str, Any]:
    return {**manifest, "version": version, **changes}


def _count(client: TestClient, tenant: Tenant) -> Any:
    ran = client.post(f"{PLUGINS}/hooks/count", json={"payload": {"key": "runs"}}, headers=tenant.auth).json()
    return ran["results"][0]


def _audited(client: TestClient, tenant: Tenant) -> list[str]:
    entries = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant.auth).json()["data"]
    return [entry["action"] for entry in entries]


def test_a_version_asking_for_no_more_permissions_replaces_the_old_at_once(client: TestClient,
                                                                            tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    newer = upgraded(client, tenant_a.id, tenant_a.auth, plugin["id"], _version(MANIFEST, "1.1.0"), example_plugin())
    assert newer["version"] == "1.1.0" and newer["pending_upgrade"] is None
    assert newer["sha256"] != plugin["sha256"] and newer["granted_by"] == plugin["granted_by"]
    assert _count(client, tenant_a)["answer"] == {"count": 1}  # the example's count, not the counter's lookup
    assert "plugin.upgraded" in _audited(client, tenant_a)


def test_a_version_asking_for_more_waits_for_consent_while_the_old_one_runs(client: TestClient,
                                                                             tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    asking = _version(MANIFEST, "2.0.0", permissions=["storage", "http"], http_hosts=["api.example.com"])
    waiting = upgraded(client, tenant_a.id, tenant_a.auth, plugin["id"], asking, example_plugin())
    assert waiting["version"] == "1.0.0" and waiting["permissions"] == ["storage"]
    assert waiting["pending_upgrade"]["status"] == "awaiting_consent"
    assert waiting["pending_upgrade"]["added_permissions"] == ["http"]
    assert _count(client, tenant_a)["answer"] is None  # the old module (a lookup of a key never set)
    admin = add_member(tenant_a.id, "admin")
    approved = client.post(f"{PLUGINS}/{plugin['id']}/upgrade/approve", headers=admin.auth)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["version"] == "2.0.0" and body["permissions"] == ["storage", "http"]
    assert body["granted_by"] == admin.user_id and body["pending_upgrade"] is None
    assert _count(client, tenant_a)["answer"] == {"count": 1}
    assert {"plugin.upgrade_awaiting_consent", "plugin.upgraded"} <= set(_audited(client, tenant_a))
    assert client.post(f"{PLUGINS}/{plugin['id']}/upgrade/approve", headers=admin.auth).status_code == 409


def test_a_declined_or_rejected_version_leaves_the_old_one_running(client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    asking = _version(MANIFEST, "2.0.0", permissions=["storage", "secrets"])
    upgraded(client, tenant_a.id, tenant_a.auth, plugin["id"], asking, example_plugin())
    assert client.delete(f"{PLUGINS}/{plugin['id']}/upgrade", headers=tenant_a.auth).status_code == 204
    kept = client.get(f"{PLUGINS}/{plugin['id']}", headers=tenant_a.auth).json()
    assert kept["version"] == "1.0.0" and kept["pending_upgrade"] is None
    broken = upgraded(client, tenant_a.id, tenant_a.auth, plugin["id"], _version(MANIFEST, "2.0.1", permissions=[]),
                      example_plugin())
    assert broken["version"] == "1.0.0" and broken["pending_upgrade"]["status"] == "rejected"
    assert "imports atrium.storage_get without the permission 'storage'" in broken["pending_upgrade"]["findings"]
    assert client.post(f"{PLUGINS}/{plugin['id']}/upgrade/approve", headers=tenant_a.auth).status_code == 409
    assert {"plugin.upgrade_declined", "plugin.upgrade_rejected"} <= set(_audited(client, tenant_a))


def test_only_a_newer_version_of_the_same_plugin_is_an_upgrade(client: TestClient, tenant_a: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    for manifest, field in ((_version(MANIFEST, "1.0.0"), "body.manifest.version"),
                            (_version(MANIFEST, "0.9.9"), "body.manifest.version"),
                            (_version(MANIFEST, "1.0.1", name="Another"), "body.manifest.name")):
        refused = client.post(f"{PLUGINS}/{plugin['id']}/upgrade", headers=tenant_a.auth,
                              json={"upload_id": uploaded(client, tenant_a.auth), "manifest": manifest})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field, refused.text
    scanning = client.post(f"{PLUGINS}/{plugin['id']}/upgrade", headers=tenant_a.auth, json={
        "upload_id": uploaded(client, tenant_a.auth), "manifest": _version(MANIFEST, "1.2.0")}).json()
    again = client.post(f"{PLUGINS}/{plugin['id']}/upgrade", headers=tenant_a.auth, json={
        "upload_id": uploaded(client, tenant_a.auth), "manifest": _version(MANIFEST, "1.3.0")})
    assert again.status_code == 409
    assert client.delete(f"{PLUGINS}/{plugin['id']}/upgrade", headers=tenant_a.auth).status_code == 409
    run_install(tenant_a.id, scanning)
    assert client.get(f"{PLUGINS}/{plugin['id']}", headers=tenant_a.auth).json()["version"] == "1.2.0"


def test_another_tenant_reaches_no_upgrade(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    upgraded(client, tenant_a.id, tenant_a.auth, plugin["id"], _version(MANIFEST, "2.0.0",
                                                                         permissions=["storage", "notify"]), COUNTER)
    path = f"{PLUGINS}/{plugin['id']}/upgrade"
    assert client.post(path, headers=tenant_b.auth, json={"upload_id": uploaded(client, tenant_b.auth),
                                                          "manifest": _version(MANIFEST, "3.0.0")}).status_code == 404
    assert client.post(f"{path}/approve", headers=tenant_b.auth).status_code == 404
    assert client.delete(path, headers=tenant_b.auth).status_code == 404
    assert client.get(f"{PLUGINS}/{plugin['id']}", headers=tenant_a.auth).json()["pending_upgrade"]["status"] == (
        "awaiting_consent")


def test_a_new_host_for_http_fetch_needs_consent_and_declining_the_same_module_keeps_it_running(
        client: TestClient, tenant_a: Tenant) -> None:
    fetching = {**MANIFEST, "permissions": ["storage", "http"], "http_hosts": ["api.example.com"]}
    plugin = installed(client, tenant_a.id, tenant_a.auth, fetching)
    more_hosts = {**fetching, "version": "1.1.0", "http_hosts": ["api.example.com", "collect.example.net"]}
    waiting = upgraded(client, tenant_a.id, tenant_a.auth, plugin["id"], more_hosts)  # the same module
    assert waiting["version"] == "1.0.0" and waiting["pending_upgrade"]["added_hosts"] == ["collect.example.net"]
    assert client.delete(f"{PLUGINS}/{plugin['id']}/upgrade", headers=tenant_a.auth).status_code == 204
    assert _count(client, tenant_a)["outcome"] == "ok"  # its module, shared by content, is still there
