"""Installing plugins (docs/plugins.md): a bundle uploaded, scanned by the install job against its manifest, then
installed with its permissions granted by the caller or rejected with the findings; listed and read by its tenant
only; uninstalled with its store and module purged; 10 operations per 15 minutes; the Enterprise plan's feature."""

from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium.plugins.models import PluginValueItem
from atrium.plugins.testing import COUNTER, MANIFEST, installed, run_install, uploaded
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import add_member

PLUGINS = "/v1/plugins"


def _files(tenant_id: str) -> list[str]:
    listed = boto3.client("s3", region_name=settings().region).list_objects_v2(
        Bucket=settings().files_bucket, Prefix=f"tenants/{tenant_id}/plugins/")
    return [found["Key"] for found in listed.get("Contents", [])]


def _partition(pk: str) -> list[dict[str, Any]]:
    found = boto3.client("dynamodb", region_name=settings().region).query(
        TableName=settings().table_name, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={
            ":pk": {"S": pk}}, ConsistentRead=True)
    items: list[dict[str, Any]] = found["Items"]
    return items


def _logged(client: TestClient, tenant: Tenant) -> list[str]:
    entries = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant.auth).json()["data"]
    return [entry["action"] for entry in entries]


def test_an_uploaded_bundle_is_scanned_then_installed_with_its_permissions_granted(
        client: TestClient, tenant_a: Tenant) -> None:
    upload_id = uploaded(client, tenant_a.auth)
    started = client.post(f"{PLUGINS}/install", json={"upload_id": upload_id, "manifest": MANIFEST},
                          headers=tenant_a.auth)
    assert started.status_code == 202, started.text
    scanning = started.json()
    assert scanning["status"] == "scanning" and scanning["security_scan_passed"] is None
    assert started.headers["location"] == f"{PLUGINS}/{scanning['id']}"
    run_install(tenant_a.id, scanning)
    plugin = client.get(started.headers["location"], headers=tenant_a.auth).json()
    assert plugin["status"] == "installed" and plugin["security_scan_passed"] is True
    assert plugin["hooks"] == ["count"] and plugin["permissions"] == ["storage"]
    assert plugin["granted_by"] == tenant_a.user_id and plugin["scan_findings"] == []
    assert _files(tenant_a.id) == [f"tenants/{tenant_a.id}/plugins/{plugin['id']}/{plugin['sha256']}.wasm"]  # moved
    assert "plugin.installed" in _logged(client, tenant_a)
    listed = client.get(PLUGINS, headers=tenant_a.auth).json()
    assert [found["id"] for found in listed["data"]] == [plugin["id"]] and listed["next_cursor"] is None
    again = client.post(f"{PLUGINS}/install", json={"upload_id": upload_id, "manifest": MANIFEST},
                        headers=tenant_a.auth)
    assert again.status_code == 422  # one install per upload


@pytest.mark.parametrize(("manifest", "body", "finding"), [
    ({**MANIFEST, "permissions": []}, COUNTER, "imports atrium.storage_get without the permission 'storage'"),
    ({**MANIFEST, "hooks": ["count", "hello"]}, COUNTER, "declares the hook 'hello' but exports no hook_hello"),
    (MANIFEST, b"\0asm\x01\0\0\0", "exports no memory named 'memory'"),
])
def test_a_bundle_failing_its_scan_is_rejected_with_the_findings(client: TestClient, tenant_a: Tenant,
                                                                  manifest: dict[str, Any], body: bytes,
                                                                  finding: str) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, manifest, body)
    assert plugin["status"] == "rejected" and plugin["security_scan_passed"] is False
    assert finding in plugin["scan_findings"]
    assert _files(tenant_a.id) == []  # neither kept nor left as an upload
    assert "plugin.rejected" in _logged(client, tenant_a)


def test_a_bundle_that_is_not_the_one_declared_is_rejected(client: TestClient, tenant_a: Tenant) -> None:
    upload_id = uploaded(client, tenant_a.auth)
    key = next(key for key in _files(tenant_a.id) if upload_id in key)
    boto3.client("s3", region_name=settings().region).put_object(Bucket=settings().files_bucket, Key=key,
                                                                   Body=COUNTER[:-1] + b"\1")
    started = client.post(f"{PLUGINS}/install", json={"upload_id": upload_id, "manifest": MANIFEST},
                          headers=tenant_a.auth).json()
    run_install(tenant_a.id, started)
    rejected = client.get(f"{PLUGINS}/{started['id']}", headers=tenant_a.auth).json()
    assert rejected["scan_findings"] == ["the uploaded bundle is not the one declared (its size or SHA-256 differs)"]


def test_an_uninstalled_plugins_store_and_module_are_purged(client: TestClient, tenant_a: Tenant,
                                                            worker: Worker) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    with tenant_scope(tenant_a.id):
        for key in ("a", "b"):
            PluginValueItem(tenant_id=tenant_a.id, plugin_id=plugin["id"], key=key, value="1").save()
    # Its metrics and its configuration too.
    ran = client.post(f"{PLUGINS}/hooks/count", json={"payload": {"key": "a"}}, headers=tenant_a.auth)
    assert ran.status_code == 200
    assert client.put(f"{PLUGINS}/{plugin['id']}/config", json={"values": {}}, headers=tenant_a.auth).status_code == 200
    partition = f"T#{tenant_a.id}#PluginStore#{plugin['id']}"
    assert len(_partition(partition)) == 4
    assert client.delete(f"{PLUGINS}/{plugin['id']}", headers=tenant_a.auth).status_code == 204
    worker.drain()
    assert client.get(f"{PLUGINS}/{plugin['id']}", headers=tenant_a.auth).status_code == 404
    assert _files(tenant_a.id) == []
    assert _partition(partition) == []
    assert "plugin.uninstalled" in _logged(client, tenant_a)


def test_a_plugin_being_scanned_is_not_uninstalled(client: TestClient, tenant_a: Tenant) -> None:
    scanning = client.post(f"{PLUGINS}/install", json={"upload_id": uploaded(client, tenant_a.auth),
                                                       "manifest": MANIFEST}, headers=tenant_a.auth).json()
    assert client.delete(f"{PLUGINS}/{scanning['id']}", headers=tenant_a.auth).status_code == 409


def test_another_tenant_reaches_neither_the_plugins_nor_the_uploads(client: TestClient, tenant_a: Tenant,
                                                                    tenant_b: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth)
    upload_id = uploaded(client, tenant_a.auth)
    assert client.get(f"{PLUGINS}/{plugin['id']}", headers=tenant_b.auth).status_code == 404
    assert client.delete(f"{PLUGINS}/{plugin['id']}", headers=tenant_b.auth).status_code == 404
    assert client.get(PLUGINS, headers=tenant_b.auth).json()["data"] == []
    stolen = client.post(f"{PLUGINS}/install", json={"upload_id": upload_id, "manifest": MANIFEST},
                         headers=tenant_b.auth)
    assert stolen.status_code == 422 and stolen.json()["errors"][0]["field"] == "body.upload_id"
    member = add_member(tenant_a.id, "member")
    assert client.post(f"{PLUGINS}/install", json={"upload_id": upload_id, "manifest": MANIFEST},
                       headers=member.auth).status_code == 403


def test_the_eleventh_operation_in_15_minutes_is_refused(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "plugin_operations_per_15_minutes", 10)  # the default (tests raise it)
    for _ in range(10):
        uploaded(client, tenant_a.auth)
    refused = client.post(f"{PLUGINS}/uploads", json={"size": 10, "sha256": "0" * 64}, headers=tenant_a.auth)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) <= 900
    assert "at most 10 plugin operations" in refused.json()["detail"]
    uploaded(client, tenant_b.auth)  # another tenant's own count


def test_installing_needs_the_plugins_feature_reading_does_not(client: TestClient, tenant_a: Tenant,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "billing_default_plan", "free")
    refused = client.post(f"{PLUGINS}/uploads", json={"size": 10, "sha256": "0" * 64}, headers=tenant_a.auth)
    assert refused.status_code == 402, refused.text
    assert client.get(PLUGINS, headers=tenant_a.auth).status_code == 200


def test_manifests_are_validated(client: TestClient, tenant_a: Tenant) -> None:
    bad = {"name": "ab", "version": "1.0", "type": "game", "permissions": ["storage", "storage", "root"],
           "hooks": []}
    answer = client.post(f"{PLUGINS}/install", json={"upload_id": "upl_x", "manifest": bad}, headers=tenant_a.auth)
    assert answer.status_code == 422
    assert {error["field"] for error in answer.json()["errors"]} >= {
        "body.manifest.name", "body.manifest.version", "body.manifest.type", "body.manifest.hooks"}
