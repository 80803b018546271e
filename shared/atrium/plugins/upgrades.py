"""Upgrading an installed plugin to a new version, with consent (docs/plugins.md, "Upgrades").

``request_upgrade`` takes an uploaded bundle and its manifest (the same name, a higher version) and keeps it on the
plugin as a pending upgrade while the install job checks it against the new manifest. A version asking for no
permission beyond those granted (nor a host for ``http_fetch``) then replaces the old one at once
(``plugin.upgraded``); one asking for more waits
(``plugin.upgrade_awaiting_consent``) and the old version keeps running until an admin approves the new
permissions (``approve``: recorded as granted by that admin) or declines them (``decline``). A version failing its
scan is ``rejected`` with the findings, the old one running on. Asking, approving and declining are plugin
operations (counted)."""

from typing import Any, Final

from atrium.jobs.api import enqueue
from atrium.kernel import clock, files
from atrium.kernel.errors import Conflict, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.jobs import JobContext
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.catalog import load
from atrium.plugins.events import (
    PLUGIN_UPGRADE_AWAITING_CONSENT,
    PLUGIN_UPGRADE_DECLINED,
    PLUGIN_UPGRADE_REJECTED,
    PLUGIN_UPGRADED,
    UPGRADE_REQUESTED,
    PluginUpgradeChanged,
)
from atrium.plugins.installs import INSTALL, check_bundle, check_hooks, keep_module, pending_upload
from atrium.plugins.models import PendingUpgrade, PluginItem, PluginStatus
from atrium.plugins.operations import count_operation
from atrium.plugins.runtime.abi import Limits
from atrium.plugins.schemas import InstallCreate

SCANNING: Final = "scanning"
AWAITING_CONSENT: Final = "awaiting_consent"
REJECTED: Final = "rejected"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _refuse(field: str, message: str, code: str) -> Unprocessable:
    return Unprocessable(message, errors=[{"field": field, "message": message, "code": code}])


def request_upgrade(principal: Principal, plugin_id: str, body: InstallCreate, info: RequestInfo) -> PluginItem:
    plugin, manifest = load(principal.tenant_id, plugin_id, consistent=True), body.manifest
    if plugin.status != PluginStatus.INSTALLED:
        raise Conflict(f"plugin {plugin_id} is {plugin.status}: only an installed plugin is upgraded")
    pending = PendingUpgrade.of(plugin)
    if pending is not None and pending.status == SCANNING:
        raise Conflict(f"version {pending.version} of plugin {plugin_id} is being checked (job {pending.job_id})")
    if manifest.name != plugin.name:
        raise _refuse("body.manifest.name", f"an upgrade keeps the plugin's name ({plugin.name!r})", "renamed")
    if _version(manifest.version) <= _version(plugin.plugin_version):
        raise _refuse("body.manifest.version", f"an upgrade's version must be above {plugin.plugin_version}",
                      "not_newer")
    check_hooks(manifest.hooks)
    upload = pending_upload(principal.tenant_id, body.upload_id)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    job = enqueue(uow, kind=INSTALL, params={"plugin_id": plugin.id, "upgrade": True})
    # A version waiting for consent, replaced by this one (unless it is the running one's content too).
    superseded = pending.module_key if pending is not None and pending.module_key != plugin.module_key else None
    plugin.pending_upgrade = PendingUpgrade(
        version=manifest.version, type=manifest.type, description=manifest.description,
        permissions=list(manifest.permissions), hooks=list(manifest.hooks), http_hosts=list(manifest.http_hosts),
        priority=manifest.priority,
        config_schema=manifest.config_json(), limits_json=manifest.limits_json(),
        upload_key=upload.file_key, sha256=upload.sha256, size=int(upload.size), job_id=job.id,
        requested_by=principal.id, requested_at=clock.iso(clock.now())).model_dump_json()
    uow.save(plugin)
    uow.discard(upload)
    uow.record(UPGRADE_REQUESTED, subject=Ref(type="plugin", id=plugin.id), emit=False,
               data={"plugin_id": plugin.id, "version": manifest.version, "permissions": manifest.permissions})
    uow.commit()
    if superseded:
        files.delete([superseded])
    return plugin


def _changed(plugin: PluginItem, pending: PendingUpgrade, **extra: Any) -> dict[str, Any]:
    return PluginUpgradeChanged(plugin_id=plugin.id, name=plugin.name, from_version=plugin.plugin_version,
                                to_version=pending.version, permissions=pending.permissions,
                                added_permissions=pending.added_permissions, added_hosts=pending.added_hosts,
                                **extra).model_dump()


def _apply(uow: UnitOfWork, plugin: PluginItem, pending: PendingUpgrade, granted_by: str) -> str | None:
    """The new version in place of the old; the old module's key (to delete once committed)."""
    uow.record(PLUGIN_UPGRADED, subject=Ref(type="plugin", id=plugin.id),
               data=_changed(plugin, pending, granted_by=granted_by))
    old = plugin.module_key
    plugin.plugin_version, plugin.type, plugin.description = pending.version, pending.type, pending.description
    plugin.permissions, plugin.declared_hooks, plugin.hooks = pending.permissions, pending.hooks, pending.exported_hooks
    plugin.http_hosts, plugin.priority = pending.http_hosts, pending.priority
    plugin.config_schema, plugin.module_key = pending.config_schema, pending.module_key
    plugin.limits_json = pending.limits_json
    plugin.sha256, plugin.size = pending.sha256, pending.size
    if pending.added_permissions or pending.added_hosts:
        plugin.granted_by, plugin.granted_at = granted_by, clock.now()
    plugin.pending_upgrade = None
    return old if old != plugin.module_key else None


def run_upgrade_check(job: JobContext, plugin: PluginItem) -> dict[str, Any]:
    """The install job's work for an upgrade: the bundle checked against the new manifest, then applied, kept
    waiting for consent, or rejected."""
    pending = PendingUpgrade.of(plugin)
    if pending is None or pending.job_id != job.job_id or pending.status != SCANNING:  # decided, or superseded
        return {"plugin_id": plugin.id, "upgrade": pending.status if pending else None}
    findings, pending.exported_hooks = check_bundle(
        pending.upload_key, size=pending.size, sha256=pending.sha256, permissions=pending.permissions,
        hooks=pending.hooks, memory_bytes=Limits.from_json(pending.limits_json).memory_bytes)
    pending.added_permissions = sorted(set(pending.permissions) - set(plugin.permissions))
    pending.added_hosts = sorted(set(pending.http_hosts) - set(plugin.http_hosts)) if "http" in pending.permissions \
        else []
    uow, old_module = UnitOfWork(job.tenant_id, Ref(type="job", id=job.job_id)), None
    subject = Ref(type="plugin", id=plugin.id)
    if findings:
        pending.status, pending.findings = REJECTED, findings
        uow.record(PLUGIN_UPGRADE_REJECTED, subject=subject, data=_changed(plugin, pending, findings=findings))
    else:
        pending.module_key = keep_module(job.tenant_id, plugin.id, pending.upload_key, pending.sha256)
        if pending.added_permissions or pending.added_hosts:
            pending.status = AWAITING_CONSENT
            uow.record(PLUGIN_UPGRADE_AWAITING_CONSENT, subject=subject, data=_changed(plugin, pending))
        else:  # nothing more asked: consented when the permissions and hosts were granted
            old_module = _apply(uow, plugin, pending, plugin.granted_by)
    if plugin.pending_upgrade is not None:
        plugin.pending_upgrade = pending.model_dump_json()
    uow.save(plugin)
    uow.commit()
    files.delete([key for key in (pending.upload_key, old_module) if key])
    return {"plugin_id": plugin.id, "upgrade": pending.status if plugin.pending_upgrade else "applied",
            "findings": findings}


def _waiting(principal: Principal, plugin_id: str) -> tuple[PluginItem, PendingUpgrade]:
    plugin = load(principal.tenant_id, plugin_id, consistent=True)
    pending = PendingUpgrade.of(plugin)
    if pending is None:
        raise Conflict(f"plugin {plugin_id} has no upgrade waiting")
    return plugin, pending


def approve(principal: Principal, plugin_id: str, info: RequestInfo) -> PluginItem:
    """Grant the waiting version's permissions (as the caller) and run it."""
    plugin, pending = _waiting(principal, plugin_id)
    if pending.status != AWAITING_CONSENT:
        raise Conflict(f"version {pending.version} of plugin {plugin_id} is {pending.status}, not awaiting consent")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    old_module = _apply(uow, plugin, pending, principal.id)
    uow.save(plugin)
    uow.commit()
    if old_module:
        files.delete([old_module])
    return plugin


def decline(principal: Principal, plugin_id: str, info: RequestInfo) -> None:
    """Drop the waiting (or rejected) version; the installed one runs on."""
    plugin, pending = _waiting(principal, plugin_id)
    if pending.status == SCANNING:
        raise Conflict(f"version {pending.version} of plugin {plugin_id} is being checked (job {pending.job_id})")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    uow.record(PLUGIN_UPGRADE_DECLINED, subject=Ref(type="plugin", id=plugin.id), data=_changed(plugin, pending))
    plugin.pending_upgrade = None
    uow.save(plugin)
    uow.commit()
    if pending.module_key and pending.module_key != plugin.module_key:  # modules are kept by content
        files.delete([pending.module_key])
