"""Restoring a backup, as a job: into a new tenant (ids kept, keys and every mention of the tenant's id rewritten,
protected attributes decrypted with the source tenant's keys and sealed under the new tenant's) or over the same
tenant (its restorable items rolled back: those not in the backup deleted, the backup's put back as stored). Its
files are copied back. The job then walks the result and compares counts and content hashes per type with the
backup's manifest (``contents``), and reports them in its result.

Erasures carried out since the backup started are replayed on what the restore writes (``replay``): the items they
erased are written erased, those they deleted are not written, nor the files they deleted copied. The types they
changed are then verified against the backup's items as replayed, and the result says what was replayed."""

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from atrium.compliance.backups.contents import Digest, moved, opened, restored
from atrium.compliance.backups.events import RESTORE_STARTED, RestoreStarted
from atrium.compliance.backups.models import BackupStatus
from atrium.compliance.backups.replay import Replay, since
from atrium.compliance.backups.schemas import RestoreCreate
from atrium.compliance.backups.snapshot import backup_prefix, load, read_manifest
from atrium.compliance.tenant_items import RawItem, delete_items, entity_of, put_items, tenant_items
from atrium.jobs.api import JobOut, enqueue, job_location
from atrium.kernel import files, ids
from atrium.kernel.errors import Conflict, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, PrincipalType, actor_of, tenant_scope
from atrium.manifest import tenant_directory

NEW_TENANT, SAME_TENANT = "new_tenant", "same_tenant_point_in_time"
NAME_LENGTH = 100


def start_restore(principal: Principal, backup_id: str, request: RestoreCreate, info: RequestInfo,
                  ) -> tuple[JobOut, str]:
    backup = load(principal.tenant_id, backup_id, consistent=True)
    if backup.status != BackupStatus.SUCCEEDED:
        raise Conflict(f"backup {backup_id} is {backup.status}; only a finished backup can be restored")
    params: dict[str, Any] = {"backup_id": backup.id, "target": request.target}
    if request.target == SAME_TENANT:
        if request.confirm != backup.id:
            raise Unprocessable("rolling the tenant back needs confirm set to the backup's id", errors=[
                {"field": "body.confirm", "message": "must be the backup's id"}])
    else:
        if principal.type != PrincipalType.USER:
            raise Unprocessable("a new tenant's owner is a user: restore it signed in as one", errors=[
                {"field": "body.target", "message": "new_tenant needs a user's session"}])
        name = request.name or f"{tenant_directory().tenant_name(principal.tenant_id)} (restored)"[:NAME_LENGTH]
        params |= {"new_tenant_id": ids.new_id("ten"), "name": name, "owner_user_id": principal.id}
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    job = enqueue(uow, kind=RESTORE, params=params)
    uow.record(RESTORE_STARTED, subject=Ref(type="backup", id=backup.id), data=RestoreStarted(
        backup_id=backup.id, job_id=job.id, target=request.target,
        new_tenant_id=params.get("new_tenant_id")).model_dump())
    uow.commit()
    return job, job_location(job.id)


def run_restore(job: JobContext) -> dict[str, Any]:
    source, backup_id = job.tenant_id, job.params["backup_id"]
    manifest = read_manifest(source, backup_id)
    prefix = backup_prefix(source, backup_id)
    new_tenant = job.params["target"] == NEW_TENANT
    target = job.params["new_tenant_id"] if new_tenant else source
    with tenant_scope(source):
        replay = since(source, target, datetime.fromisoformat(manifest["started_at"]))
    if new_tenant:
        tenant_directory().open_tenant(target, job.params["name"], job.params["owner_user_id"])
    else:
        job.progress(0.0, "removing items newer than the backup")
        _remove_newer(source, {(raw["pk"]["S"], raw["sk"]["S"]) for raw in _items(prefix, manifest)})
    total, done, written = max(1, sum(int(part["items"]) for part in manifest["parts"])), 0, Digest()
    for part in _parts(prefix, manifest):
        wanted = [raw for raw in part if restored(entity_of(raw))]
        if new_tenant:
            wanted = _moved(wanted, source, target)
        with tenant_scope(target):
            wanted = replay.apply(wanted)
            put_items(target, wanted)
            if replay.items:  # the backup's items as replayed, which the changed types are verified against
                for raw in wanted:
                    written.add(opened(raw), target)
        done += len(part)
        job.progress(0.8 * done / total, f"{done} of {total} items restored")
    job.progress(0.8, "copying files")
    with tenant_scope(target):
        for copied in replay.restored_files(manifest):
            files.copy(f"{prefix}files/{copied['key']}", files.tenant_key(target, copied["key"]), tags="")
    job.progress(0.9, "verifying")
    with tenant_scope(target):
        return {"target": job.params["target"], "tenant_id": target, "backup_id": backup_id,
                **verification(target, manifest, replay, written), "erasures_replayed": replay.summary()}


def verification(tenant_id: str, manifest: dict[str, Any], replay: Replay, written: Digest) -> dict[str, Any]:
    """The tenant's restorable items and files against the manifest (the types and files the replayed erasures
    changed, against what was written): counts and content hashes per type, and each file's SHA-256 (in the
    tenant's scope)."""
    digest = Digest()
    for page in tenant_items(tenant_id):
        for raw in page:
            if restored(entity_of(raw)):
                digest.add(opened(raw), tenant_id)
    found = digest.summary()
    expected = {**{name: counted for name, counted in manifest["entities"].items()
                   if restored(name) and name not in replay.changed},
                **{name: counted for name, counted in written.summary().items() if name in replay.changed}}
    entities = {name: {"expected": expected.get(name, {}).get("items", 0), "found": found.get(name, {}).get("items", 0),
                       "match": expected.get(name) == found.get(name)} for name in sorted({*expected, *found})}
    copied_back = replay.restored_files(manifest)
    mismatched_files = [copied["key"] for copied in copied_back
                        if (stored := files.stored_object(files.tenant_key(tenant_id, copied["key"]))) is None
                        or stored.sha256 != copied["sha256"]]
    return {"verified": all(counted["match"] for counted in entities.values()) and not mismatched_files,
            "items": sum(counted["found"] for counted in entities.values()), "files": len(copied_back),
            "entities": entities, "mismatched_files": mismatched_files[:20]}


def _parts(prefix: str, manifest: dict[str, Any]) -> Iterator[list[RawItem]]:
    """Each part's items, once its SHA-256 is the manifest's (a part altered since is refused)."""
    for part in manifest["parts"]:
        body = files.read(prefix + part["key"])
        if body is None:
            raise ValueError(f"part {part['key']} of the backup is missing")
        if hashlib.sha256(body).hexdigest() != part["sha256"]:
            raise ValueError(f"part {part['key']} of the backup does not match its SHA-256")
        yield [json.loads(line) for line in body.decode().splitlines()]


def _items(prefix: str, manifest: dict[str, Any]) -> Iterator[RawItem]:
    for part in _parts(prefix, manifest):
        yield from part


def _moved(items: list[RawItem], source: str, target: str) -> list[RawItem]:
    """Items of ``source`` as ``target``'s: decrypted in the source's scope, sealed again in the target's."""
    with tenant_scope(source):
        plain = [opened(raw) for raw in items]
    with tenant_scope(target):
        return [moved(raw, source, target) for raw in plain]


def _remove_newer(tenant_id: str, kept: set[tuple[str, str]]) -> None:
    """Delete the tenant's restorable items the backup does not hold."""
    for page in tenant_items(tenant_id):
        delete_items(tenant_id, [raw for raw in page if restored(entity_of(raw))
                                 and (raw["pk"]["S"], raw["sk"]["S"]) not in kept])


RESTORE = JobKind(
    name="compliance.restore",
    run=run_restore,
    description="Restore a backup into a new tenant or over this one, and verify the result against its manifest.",
    permission="backups:manage",
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TABLE_SCAN, Grant.FILES_READ, Grant.FILES_WRITE}),
    timeout_seconds=900,
)
