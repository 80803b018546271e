"""Installing a plugin from a bundle the tenant uploaded (docs/plugins.md, "Installing").

``request_upload`` hands out a presigned POST for exactly the declared size, kept as a pending upload for a day.
``start_install`` records the plugin (``scanning``) with its manifest and the permissions the caller grants by
installing it, and queues the install job. The job (``plugins.install``, with the runtime's layer) checks the
bundle's size and SHA-256 against the upload's, scans it against the manifest (``runtime/scan.py``: its imports
within the granted permissions, every declared hook exported), then keeps the module beside the plugin and marks it
``installed`` (``plugin.installed``) or ``rejected`` with the findings (``plugin.rejected``)."""

import hashlib
from typing import Any

import wasmtime

from atrium.jobs.api import enqueue
from atrium.kernel import clock, files, ids
from atrium.kernel.errors import Conflict, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.event_hooks import hook_catalog
from atrium.plugins.events import (
    MANAGE_PERMISSION,
    PLUGIN_INSTALLED,
    PLUGIN_REJECTED,
    UPLOAD_REQUESTED,
    PluginInstalled,
    PluginRejected,
)
from atrium.plugins.models import PluginItem, PluginStatus, PluginUploadItem
from atrium.plugins.operations import count_operation
from atrium.plugins.runtime.abi import hook_export
from atrium.plugins.runtime.scan import exported, scan
from atrium.plugins.schemas import InstallCreate, PluginManifest, UploadCreate, UploadOut

CONTENT_TYPE = "application/wasm"
UPLOAD_URL_SECONDS = 3600  # time to send the bundle
PENDING_SECONDS = 24 * 3600  # time to install it
MODULE_TAG = "atrium-kind=plugin-module"  # kept: no lifecycle rule matches it


def new_upload(uow: UnitOfWork, requested_by: str, body: UploadCreate) -> UploadOut:
    """A pending upload of ``uow``'s tenant (a developer's: the platform's), created with ``uow``; its form."""
    upload = PluginUploadItem(tenant_id=uow.tenant_id, id=ids.new_id("upl"), size=body.size, sha256=body.sha256,
                              requested_by=requested_by, expires_at=expires_in(PENDING_SECONDS))
    upload.file_key = files.tenant_key(uow.tenant_id, "plugins", "uploads", f"{upload.id}.wasm")
    form = files.presigned_upload(upload.file_key, content_type=CONTENT_TYPE, size=body.size,
                                  expires_seconds=UPLOAD_URL_SECONDS)
    uow.create(upload, conflict=Conflict("id collision; retry"))
    uow.record(UPLOAD_REQUESTED, subject=Ref(type="plugin_upload", id=upload.id), emit=False,
               data={"upload_id": upload.id, "size": body.size, "sha256": body.sha256})
    return UploadOut(upload_id=upload.id, url=form.url, fields=form.fields, expires_at=clock.iso(form.expires_at))


def request_upload(principal: Principal, body: UploadCreate, info: RequestInfo) -> UploadOut:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    form = new_upload(uow, principal.id, body)
    uow.commit()
    return form


def pending_upload(tenant_id: str, upload_id: str) -> PluginUploadItem:
    """The pending upload, or a 422 on ``upload_id``: unknown, installed already, or expired."""
    if ids.is_valid_id(upload_id, "upl"):
        try:
            found = PluginUploadItem.load(tenant_id, upload_id, consistent=True)
        except NotFound:
            pass
        else:
            if found.expires_at is None or found.expires_at > clock.now():
                return found
    raise Unprocessable("no pending upload has this id", errors=[{
        "field": "body.upload_id", "message": "unknown, already installed or expired: request a new upload",
        "code": "unknown_upload"}])


def check_hooks(hooks: list[str]) -> None:
    """A dotted hook must be the catalog's: an event type plugins may handle, or a synchronous hook an app declares
    (a plugin's own hooks, run by hand, have no dot)."""
    known = {hook.name for hook in hook_catalog()}
    unknown = [(at, hook) for at, hook in enumerate(hooks) if "." in hook and hook not in known]
    if unknown:
        raise Unprocessable("the manifest names hooks that do not exist", errors=[{
            "field": f"body.manifest.hooks.{at}", "code": "unknown_hook",
            "message": f"{hook!r} is neither an event type plugins may handle nor a synchronous hook "
                       "(GET /v1/plugins/hooks lists them)"} for at, hook in unknown])


def start_install(principal: Principal, body: InstallCreate, info: RequestInfo) -> PluginItem:
    check_hooks(body.manifest.hooks)
    upload = pending_upload(principal.tenant_id, body.upload_id)
    plugin = new_plugin(principal, body.manifest, upload_key=upload.file_key, sha256=upload.sha256,
                        size=int(upload.size))
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    queue_install(uow, plugin)
    uow.discard(upload)  # one install per upload
    uow.commit()
    return plugin


def new_plugin(principal: Principal, manifest: PluginManifest, *, upload_key: str, sha256: str, size: int,
               listing_id: str | None = None) -> PluginItem:
    """A plugin to install from ``manifest`` and the bundle at ``upload_key``, its permissions granted by the caller."""
    return PluginItem(
        tenant_id=principal.tenant_id, id=ids.new_id("plg"), name=manifest.name, plugin_version=manifest.version,
        type=manifest.type, description=manifest.description, permissions=list(manifest.permissions),
        declared_hooks=list(manifest.hooks), http_hosts=list(manifest.http_hosts), priority=manifest.priority,
        config_schema=manifest.config_json(), limits_json=manifest.limits_json(),
        granted_by=principal.id, granted_at=clock.now(), upload_key=upload_key, sha256=sha256, size=size, job_id="",
        listing_id=listing_id)


def queue_install(uow: UnitOfWork, plugin: PluginItem) -> None:
    """Count the operation, record the plugin and queue its install job, in ``uow``."""
    count_operation(uow)
    plugin.job_id = enqueue(uow, kind=INSTALL, params={"plugin_id": plugin.id}).id
    uow.create(plugin, conflict=Conflict("id collision; retry"))


def check_bundle(upload_key: str, *, size: int, sha256: str, permissions: list[str], hooks: list[str],
                 memory_bytes: int) -> tuple[list[str], list[str]]:
    """Why the uploaded bundle cannot be installed with ``permissions`` and ``hooks`` (none: it can), and the
    hooks it exports."""
    body = files.read(upload_key)
    if body is None:
        return ["the bundle was never uploaded (or the upload expired)"], []
    if len(body) != size or hashlib.sha256(body).hexdigest() != sha256:
        return ["the uploaded bundle is not the one declared (its size or SHA-256 differs)"], []
    report = scan(wasmtime.Engine(), body, frozenset(permissions), memory_limit=memory_bytes)
    missing = [hook for hook in hooks if hook_export(hook) not in exported(report)]
    return ([*report.findings, *(f"declares the hook {hook!r} but exports no {hook_export(hook)}" for hook in missing)],
            list(report.hooks))


def keep_module(tenant_id: str, plugin_id: str, upload_key: str, sha256: str) -> str:
    """The checked bundle copied to where the runner reads it (one key per content: a running call of the
    version it replaces still finds its own), tagged so no lifecycle rule removes it."""
    module_key = files.tenant_key(tenant_id, "plugins", plugin_id, f"{sha256}.wasm")
    files.copy(upload_key, module_key, tags=MODULE_TAG)
    return module_key


def run_install(job: JobContext) -> dict[str, Any]:
    """An install's check, or an upgrade's (``upgrade`` in the params)."""
    plugin = PluginItem.load(job.tenant_id, job.params["plugin_id"], consistent=True)
    if job.params.get("upgrade"):
        from atrium.plugins.upgrades import run_upgrade_check  # it builds on this module

        return run_upgrade_check(job, plugin)
    if plugin.status != PluginStatus.SCANNING:  # a retry after it was decided
        return {"plugin_id": plugin.id, "status": plugin.status}
    findings, plugin.hooks = check_bundle(plugin.upload_key, size=int(plugin.size), sha256=plugin.sha256,
                                          permissions=plugin.permissions, hooks=plugin.declared_hooks,
                                          memory_bytes=plugin.limits().memory_bytes)
    uow = UnitOfWork(job.tenant_id, Ref(type="job", id=job.job_id))
    plugin.security_scan_passed, plugin.scan_findings = not findings, findings
    if findings:
        plugin.status = PluginStatus.REJECTED
        uow.record(PLUGIN_REJECTED, subject=Ref(type="plugin", id=plugin.id), data=PluginRejected(
            plugin_id=plugin.id, name=plugin.name, version=plugin.plugin_version, findings=findings).model_dump())
    else:
        plugin.status = PluginStatus.INSTALLED
        plugin.module_key = keep_module(job.tenant_id, plugin.id, plugin.upload_key, plugin.sha256)
        uow.record(PLUGIN_INSTALLED, subject=Ref(type="plugin", id=plugin.id), data=PluginInstalled(
            plugin_id=plugin.id, name=plugin.name, version=plugin.plugin_version, permissions=plugin.permissions,
            granted_by=plugin.granted_by).model_dump())
    uow.save(plugin)
    uow.commit()
    if plugin.listing_id is None:  # a private bundle's upload (a listed version's module stays the marketplace's)
        files.delete([plugin.upload_key])
    return {"plugin_id": plugin.id, "status": plugin.status, "findings": findings}


INSTALL = JobKind(
    name="plugins.install",
    run=run_install,
    description="Check an uploaded plugin bundle against its declared size and SHA-256, scan it against its "
                "manifest, and install it (or upgrade it) or reject it with the findings.",
    permission=MANAGE_PERMISSION,
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE,
                      Grant.FILES_DELETE}),
    timeout_seconds=300,
    layers=frozenset({"plugins"}),
)
