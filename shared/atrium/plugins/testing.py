"""Plugins installed and requests set up, for the tests and the bench (``atrium.kernel.testing``)."""

import hashlib
from typing import Any

import boto3
import wasmtime
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.jobs import JobContext
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, Owner, Request, RequestSetup
from atrium.plugins import installs

# A plugin with the hook `count` and the `storage` permission: the ABI's exports, nothing else.
COUNTER = bytes(wasmtime.wat2wasm("""(module
  (import "atrium" "storage_get" (func $get (param i32 i32) (result i64)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "alloc") (param $n i32) (result i32)
    (global.get $heap) (global.set $heap (i32.add (global.get $heap) (local.get $n))))
  (func (export "hook_count") (param $p i32) (param $l i32) (result i64)
    (call $get (local.get $p) (local.get $l))))"""))
MANIFEST = {"name": "Counter", "version": "1.0.0", "type": "utility", "permissions": ["storage"], "hooks": ["count"]}


def uploaded(client: TestClient, auth: dict[str, str], body: bytes = COUNTER) -> str:
    """An upload requested through the API, the module put where its form points (as the client's POST would)."""
    answer = client.post("/v1/plugins/uploads", json={"size": len(body), "sha256": hashlib.sha256(body).hexdigest()},
                         headers=auth)
    assert answer.status_code == 201, answer.text
    upload: dict[str, Any] = answer.json()
    boto3.client("s3", region_name=settings().region).put_object(
        Bucket=settings().files_bucket, Key=upload["fields"]["key"], Body=body, ContentType=installs.CONTENT_TYPE)
    return str(upload["upload_id"])


def run_install(tenant_id: str, plugin: dict[str, Any]) -> None:
    """The install job's work, now (no worker runs here): the plugin's install, or its upgrade's check."""
    upgrade = plugin.get("pending_upgrade")
    params = {"plugin_id": plugin["id"], **({"upgrade": True} if upgrade else {})}
    with tenant_scope(tenant_id):
        installs.run_install(JobContext(tenant_id=tenant_id, job_id=(upgrade or plugin)["job_id"], params=params,
                                        attempt=1, report=lambda _fraction, _message: None))


def installed(client: TestClient, tenant_id: str, auth: dict[str, str], manifest: dict[str, Any] | None = None,
              body: bytes = COUNTER) -> dict[str, Any]:
    """A plugin installed through the API, its job run."""
    started = client.post("/v1/plugins/install", json={"upload_id": uploaded(client, auth, body),
                                                        "manifest": manifest or MANIFEST}, headers=auth)
    assert started.status_code == 202, started.text
    run_install(tenant_id, started.json())
    plugin: dict[str, Any] = client.get(started.headers["location"], headers=auth).json()
    return plugin


def upgraded(client: TestClient, tenant_id: str, auth: dict[str, str], plugin_id: str, manifest: dict[str, Any],
             body: bytes = COUNTER) -> dict[str, Any]:
    """An upgrade asked for through the API, its check run; the plugin as it then stands."""
    started = client.post(f"/v1/plugins/{plugin_id}/upgrade", json={"upload_id": uploaded(client, auth, body),
                                                                    "manifest": manifest}, headers=auth)
    assert started.status_code == 202, started.text
    run_install(tenant_id, started.json())
    plugin: dict[str, Any] = client.get(f"/v1/plugins/{plugin_id}", headers=auth).json()
    return plugin


def _plugin_id(client: TestClient, owner: Owner) -> str:
    return str(installed(client, owner.id, owner.auth)["id"])


def _hook_name(client: TestClient, owner: Owner) -> str:
    """A hook a plugin of the tenant handles (the counter's)."""
    installed(client, owner.id, owner.auth)
    return "count"


PATH_IDS = {"plugin_id": _plugin_id, "hook_name": _hook_name}


def _install(fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request(body={"upload_id": uploaded(fixture.client, fixture.auth), "manifest": MANIFEST})


def _plugin_path(fixture: Fixture, spec: RouteSpec) -> Request:
    return Request(path=spec.path.format(plugin_id=installed(fixture.client, fixture.tenant_id, fixture.auth)["id"]))


def _upgrade(fixture: Fixture, spec: RouteSpec) -> Request:
    plugin = installed(fixture.client, fixture.tenant_id, fixture.auth)
    return Request(path=spec.path.format(plugin_id=plugin["id"]), body={
        "upload_id": uploaded(fixture.client, fixture.auth), "manifest": {**MANIFEST, "version": "1.1.0"}})


def _awaiting_consent(fixture: Fixture, spec: RouteSpec) -> Request:
    """A plugin whose next version asks for one more permission, checked."""
    plugin = installed(fixture.client, fixture.tenant_id, fixture.auth)
    upgraded(fixture.client, fixture.tenant_id, fixture.auth, plugin["id"],
             {**MANIFEST, "version": "2.0.0", "permissions": ["storage", "notify"]})
    return Request(path=spec.path.format(plugin_id=plugin["id"]))


def _hook_run(fixture: Fixture, spec: RouteSpec) -> Request:
    plugin = installed(fixture.client, fixture.tenant_id, fixture.auth)
    return Request(path=spec.path.format(hook_name="count"), body={"payload": {"key": "runs"},
                                                                   "plugin_id": plugin["id"]})


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "plugins.request_plugin_upload": lambda _fixture, _spec: Request(body={
        "size": len(COUNTER), "sha256": hashlib.sha256(COUNTER).hexdigest()}),
    "plugins.install_plugin": _install,
    "plugins.get_plugin": _plugin_path,
    "plugins.uninstall_plugin": _plugin_path,
    "plugins.load_plugin": _plugin_path,
    "plugins.unload_plugin": _plugin_path,
    "plugins.get_plugin_metrics": _plugin_path,
    "plugins.run_plugin_hook": _hook_run,
    "plugins.upgrade_plugin": _upgrade,
    "plugins.approve_plugin_upgrade": _awaiting_consent,
    "plugins.decline_plugin_upgrade": _awaiting_consent,
    "plugins.get_plugin_config": _plugin_path,
    "plugins.put_plugin_config": lambda fixture, spec: Request(path=_plugin_path(fixture, spec).path,
                                                               body={"values": {}}),
}

AWS_CALL_BUDGETS = {
    "plugins.request_plugin_upload": CallBudget(2,
        "The plan's feature check reads the tenant's subscription (GetItem) before the transaction."),
    "plugins.install_plugin": CallBudget(3,
        "The plan's feature check (GetItem of the subscription) and a consistent GetItem of the pending upload "
        "before the transaction: an unknown or expired one is a 422."),
    "plugins.install_plugin + Idempotency-Key": CallBudget(5,
        "The reads and the transaction of install_plugin, plus the idempotency record claimed before and "
        "completed after."),
    "plugins.uninstall_plugin": CallBudget(2,
        "A consistent GetItem of the plugin before the transaction: one being scanned is refused (409)."),
    "plugins.load_plugin": CallBudget(2,
        "A consistent GetItem of the plugin before the transaction: only an installed one is loaded (409)."),
    "plugins.unload_plugin": CallBudget(2,
        "A consistent GetItem of the plugin before the transaction: only an installed one is unloaded (409)."),
    "plugins.upgrade_plugin": CallBudget(4,
        "The plan's feature check (GetItem), a consistent GetItem of the plugin (installed, no version being "
        "checked) and one of the pending upload, then the transaction."),
    "plugins.upgrade_plugin + Idempotency-Key": CallBudget(6,
        "The reads and the transaction of upgrade_plugin, plus the idempotency record claimed before and completed "
        "after."),
    "plugins.approve_plugin_upgrade": CallBudget(3,
        "The plan's feature check (GetItem) and a consistent GetItem of the plugin (its waiting version), then the "
        "transaction."),
    "plugins.decline_plugin_upgrade": CallBudget(2,
        "A consistent GetItem of the plugin (its waiting version), then the transaction."),
    "plugins.get_plugin_config": CallBudget(2,
        "A GetItem of the plugin (its schema; another tenant's id is a 404) and one of its configuration."),
    "plugins.put_plugin_config": CallBudget(3,
        "Consistent GetItems of the plugin (its schema) and of its configuration (the secrets a write keeps), then "
        "the transaction."),
    "plugins.get_plugin_metrics": CallBudget(2,
        "A GetItem of the plugin (another tenant's id is a 404) and one Query of its metrics."),
    "plugins.run_plugin_hook": CallBudget(5,
        "The plan's feature check (GetItem), a Query of the tenant's plugins, then in the runner the counter's "
        "storage_get (GetItem) and its invocation counted (UpdateItem)."),
}
