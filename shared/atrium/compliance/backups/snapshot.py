"""Taking a backup: a job walks the tenant's items (``tenant_items``) and writes them, as stored (protected
attributes stay ciphertext), as JSON Lines parts under ``tenants/<tenant>/backups/<id>/``, copies its files there
too, and writes a manifest: counts and content hashes per type, the SHA-256 of each part and each file. The final
backup (a deletion's) also gets a readable copy for the tenant to keep (``readable``)."""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atrium.compliance.backups.contents import Digest, backed_up, opened
from atrium.compliance.backups.events import BACKUP_STARTED, BackupStarted
from atrium.compliance.backups.models import BackupItem, BackupStatus
from atrium.compliance.backups.readable import ReadableExport
from atrium.compliance.backups.schemas import BackupList, BackupOut, EntityCount
from atrium.compliance.privacy import traces
from atrium.compliance.tenant_items import RawItem, tenant_items
from atrium.jobs.api import enqueue
from atrium.kernel import clock, files, ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import UnitOfWork

# Kept until pruned (no lifecycle rule matches the tag).
BACKUP_TAG = "atrium-kind=backup"
PART_ITEMS = 1000
MANIFEST = "manifest.json"
# Derived and short-lived (rebuilt on demand), or the record of erasures (kept, never rolled back): never restored.
SKIPPED_FILES = ("backups/", "audit-exports/", traces.FOLDER)


def backup_prefix(tenant_id: str, backup_id: str) -> str:
    return files.tenant_key(tenant_id, "backups", backup_id) + "/"


def start_backup(uow: UnitOfWork, trigger: str) -> BackupItem:
    """Queue a backup in ``uow`` (its job and its item, audited)."""
    backup_id = ids.new_id("bkp")
    job = enqueue(uow, kind=BACKUP, params={"backup_id": backup_id})
    backup = BackupItem(tenant_id=uow.tenant_id, id=backup_id, trigger=trigger, job_id=job.id,
                        created_by=uow.actor.id)
    uow.create(backup, conflict=Conflict("id collision; retry"))
    uow.record(BACKUP_STARTED, subject=Ref(type="backup", id=backup.id),
               data=BackupStarted(backup_id=backup.id, job_id=job.id, trigger=trigger).model_dump())
    return backup


def load(tenant_id: str, backup_id: str, *, consistent: bool = False) -> BackupItem:
    if not ids.is_valid_id(backup_id, "bkp"):
        raise NotFound(f"backup {backup_id} not found")
    return BackupItem.load(tenant_id, backup_id, consistent=consistent)


def backup_out(backup: BackupItem) -> BackupOut:
    return BackupOut(id=backup.id, status=backup.status, trigger=backup.trigger, job_id=backup.job_id,
                     created_by=backup.created_by, created_at=clock.iso(backup.created_at),
                     finished_at=clock.iso(backup.finished_at) if backup.finished_at else None,
                     items=int(backup.items), files=int(backup.files), bytes=int(backup.bytes),
                     entities={name: EntityCount(**counted) for name, counted in backup.entities.items()},
                     manifest_sha256=backup.manifest_sha256, export_sha256=backup.export_sha256,
                     error=backup.error)


def list_backups(tenant_id: str, *, limit: int, cursor: str | None) -> BackupList:
    page = collection_page(BackupItem, tenant_id, limit=limit, cursor=cursor, query="backups", newest_first=True)
    return BackupList(data=[backup_out(backup) for backup in page.items], next_cursor=page.next_cursor)


def read_manifest(tenant_id: str, backup_id: str) -> dict[str, Any]:
    body = files.read(backup_prefix(tenant_id, backup_id) + MANIFEST)
    if body is None:
        raise ValueError(f"backup {backup_id} has no manifest")
    manifest: dict[str, Any] = json.loads(body)
    return manifest


@dataclass
class _Parts:
    """Items written as JSON Lines parts of ``PART_ITEMS`` each."""

    prefix: str
    written: list[dict[str, Any]]
    pending: list[str]
    size: int = 0

    def add(self, raw: RawItem) -> None:
        self.pending.append(json.dumps(raw, separators=(",", ":")))
        if len(self.pending) == PART_ITEMS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        name = f"items/part-{len(self.written):05d}.jsonl"
        body = ("\n".join(self.pending) + "\n").encode()
        sha256 = files.upload_bytes(self.prefix + name, body, content_type="application/x-ndjson", tags=BACKUP_TAG)
        self.written.append({"key": name, "items": len(self.pending), "sha256": sha256})
        self.size, self.pending = self.size + len(body), []


def run_backup(job: JobContext) -> dict[str, Any]:
    tenant_id = job.tenant_id
    backup = load(tenant_id, job.params["backup_id"], consistent=True)
    if backup.status == BackupStatus.FAILED:  # its job was retried
        backup.status, backup.error = BackupStatus.RUNNING, None
        backup.save()
    prefix, started_at = backup_prefix(tenant_id, backup.id), clock.now()
    parts, digest, count = _Parts(prefix, [], []), Digest(), 0
    with tempfile.TemporaryDirectory() as directory:
        # The final backup (the tenant's deletion was asked for) is also written readable, for the tenant to keep.
        readable = ReadableExport(Path(directory)) if backup.trigger == "final" else None
        job.progress(0.0, "copying items")
        for page in tenant_items(tenant_id):
            for raw in filter(backed_up, page):
                parts.add(raw)
                digest.add(item := opened(raw), tenant_id)
                if readable is not None:
                    readable.add(item)
                count += 1
            job.progress(0.0, f"{count} items copied")
        parts.flush()
        job.progress(0.8, "copying files")
        copied = _copy_files(tenant_id, prefix)
        export = readable.write(tenant_id, prefix, copied, tags=BACKUP_TAG) if readable is not None else None
    entities = digest.summary()
    manifest = {"format": 1, "backup_id": backup.id, "tenant_id": tenant_id, "started_at": clock.iso(started_at),
                "finished_at": clock.iso(clock.now()), "entities": entities, "parts": parts.written,
                "files": copied, "export": export}
    body = json.dumps(manifest, indent=1).encode()
    manifest_sha256 = files.upload_bytes(prefix + MANIFEST, body, content_type="application/json", tags=BACKUP_TAG)
    size = parts.size + len(body) + sum(int(found["size"]) for found in copied)
    backup.status, backup.finished_at, backup.manifest_sha256 = BackupStatus.SUCCEEDED, clock.now(), manifest_sha256
    backup.items, backup.files, backup.bytes, backup.entities = count, len(copied), size, entities
    backup.export_sha256 = export["sha256"] if export else None
    backup.save()
    return {"backup_id": backup.id, "items": count, "files": len(copied), "parts": len(parts.written),
            "bytes": size, "manifest_sha256": manifest_sha256, "export_sha256": backup.export_sha256}


def _backup_failed(job: JobContext, error: str) -> None:
    backup = load(job.tenant_id, job.params["backup_id"], consistent=True)
    backup.status, backup.error, backup.finished_at = BackupStatus.FAILED, error, clock.now()
    backup.save()


def _copy_files(tenant_id: str, prefix: str) -> list[dict[str, Any]]:
    """The tenant's files copied under the backup's prefix, each with its size and SHA-256 (of the copy)."""
    root = files.tenant_key(tenant_id, "")
    copied = []
    for key in files.keys_under(root):
        name = key.removeprefix(root)
        if name.startswith(SKIPPED_FILES):
            continue
        files.copy(key, f"{prefix}files/{name}", tags=BACKUP_TAG)
        stored = files.stored_object(f"{prefix}files/{name}")
        if stored is not None:  # deleted meanwhile
            copied.append({"key": name, "size": stored.size, "sha256": stored.sha256})
    return copied


BACKUP = JobKind(
    name="compliance.backup",
    run=run_backup,
    on_failed=_backup_failed,
    description="Write a snapshot of the tenant's items and files, with a manifest of counts and SHA-256s.",
    permission="backups:manage",
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TABLE_SCAN, Grant.FILES_READ, Grant.FILES_WRITE,
                      Grant.FILES_LIST}),
    timeout_seconds=900,
)
