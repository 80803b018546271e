"""Audit exports: a job writes the entries of a time range, oldest first, as JSON Lines or CSV to the
tenant's files (``tenants/<tenant>/audit-exports/<job>.<format>``) with their SHA-256; its result gives
the checksum and a presigned download URL (``GET /v1/audit/exports/{job_id}/download`` makes a fresh one).
"""

import base64
import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from atrium.audit.listing import entries_between
from atrium.audit.presenters import audit_event_out
from atrium.audit.schemas import AuditEventOut, AuditExportCreate
from atrium.audit.subject_keys import Opener
from atrium.jobs.api import JobOut, enqueue, get_job, job_location
from atrium.kernel import clock, files
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.resources import EXPORTS
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

# The files bucket deletes objects tagged so after EXPORT_RETENTION_DAYS; the job can be retried for a new one.
EXPORT_TAG, EXPORT_RETENTION_DAYS = EXPORTS.tag, EXPORTS.days
CONTENT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv"}
CSV_COLUMNS = ("id", "seq", "occurred_at", "action", "outcome", "actor_type", "actor_id", "actor_name", "targets",
               "ip", "user_agent", "request_id", "metadata", "hash")


def start_export(principal: Principal, request: AuditExportCreate, info: RequestInfo) -> tuple[JobOut, str]:
    """Queue the export job, audited, in one transaction; the job and where to follow it."""
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    job = enqueue(uow, kind=EXPORT, params={
        "from": request.since.isoformat(), "to": request.until.isoformat(), "format": request.format})
    uow.commit()
    return job, job_location(job.id)


def download_url(principal: Principal, job_id: str) -> str:
    job = get_job(principal, job_id)
    if job.kind != EXPORT.name:
        raise NotFound(f"export {job_id} not found")
    if job.status != "succeeded" or job.result is None:
        raise Conflict(f"export {job_id} is {job.status}; it can be downloaded once it has succeeded")
    file_format = str(job.result["format"])
    return files.download_url(export_key(principal.tenant_id, job_id, file_format),
                              filename=f"audit-{job_id}.{file_format}")


def exports_prefix(tenant_id: str) -> str:
    return files.tenant_key(tenant_id, "audit-exports") + "/"


def export_key(tenant_id: str, job_id: str, file_format: str) -> str:
    return f"{exports_prefix(tenant_id)}{job_id}.{file_format}"


def run_export(job: JobContext) -> dict[str, Any]:
    since, until = (datetime.fromisoformat(job.params[name]) for name in ("from", "to"))
    file_format = job.params["format"]
    months = max(1, (until.year - since.year) * 12 + until.month - since.month + 1)
    digest, count, opener = hashlib.sha256(), 0, Opener(job.tenant_id)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"export.{file_format}"
        with path.open("w", encoding="utf-8", newline="") as out:
            done_months = 0
            current: datetime | None = None
            for month, entry in entries_between(job.tenant_id, since, until):
                if month != current:
                    current, done_months = month, done_months + 1
                    job.progress((done_months - 1) / months, f"exporting {month:%Y-%m}")
                line = _line(audit_event_out(entry, opener), file_format, header=count == 0)
                out.write(line)
                digest.update(line.encode())
                count += 1
            if count == 0 and file_format == "csv":
                header = _csv_row(CSV_COLUMNS)
                out.write(header)
                digest.update(header.encode())
        key = export_key(job.tenant_id, job.job_id, file_format)
        files.upload(key, path, content_type=CONTENT_TYPES[file_format],
                     sha256_b64=base64.b64encode(digest.digest()).decode(), tags=EXPORT_TAG)
        size = path.stat().st_size
    return {"format": file_format, "entries": count, "bytes": size, "sha256": digest.hexdigest(),
            "url": files.download_url(key, filename=f"audit-{job.job_id}.{file_format}"),
            "url_expires_at": clock.iso(clock.now() + timedelta(seconds=files.DOWNLOAD_URL_SECONDS))}


def _line(event: AuditEventOut, file_format: str, *, header: bool) -> str:
    if file_format == "jsonl":
        return event.model_dump_json() + "\n"
    row = _csv_row((event.id, "" if event.seq is None else str(event.seq), clock.iso(event.occurred_at),
                    event.action, event.outcome, event.actor.type, event.actor.id, event.actor.name or "",
                    json.dumps([t.model_dump() for t in event.targets]), event.context.ip or "",
                    event.context.user_agent or "", event.context.request_id or "", json.dumps(event.metadata),
                    event.hash or ""))
    return (_csv_row(CSV_COLUMNS) if header else "") + row


def _csv_row(values: Iterator[str] | tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


# Declared beside the code that starts it, which reaches it by import (``audit/jobs.py`` lists it).
EXPORT = JobKind(
    name="audit.export",
    run=run_export,
    description="Write a time range of the tenant's audit log to a file (JSON Lines or CSV) with its SHA-256.",
    permission="audit:export",
    grants=frozenset({Grant.TABLE_READ, Grant.FILES_READ, Grant.FILES_WRITE}),
    timeout_seconds=300,
)
