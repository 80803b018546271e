"""Personal-data exports (GDPR Articles 15 and 20): a job writes what every context holds about a person as a zip
(``tenants/<tenant>/privacy-exports/<job>.zip``): ``subject.json``, one ``<provider>.json`` per context (its
records, each with its personal values), and the files those records refer to under ``files/``. Its result gives the
archive's SHA-256 and a presigned download URL (``GET /v1/privacy/exports/{job_id}/download`` makes a fresh one);
the files bucket deletes it after 7 days (``EXPORTS``).

Who the export is about is kept in the tenant's ``PrivacyExportItem`` (the job's id), not in the job's parameters,
so erasing the person erases it there too.
"""

import base64
import hashlib
import json
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from atrium import manifest
from atrium.compliance.privacy.models import PrivacyExportItem
from atrium.compliance.privacy.subjects import identified
from atrium.jobs.api import JobOut, enqueue, get_job, job_location
from atrium.kernel import clock, files
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.personal_data import Subject
from atrium.kernel.resources import EXPORTS
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

EXPORT_PERMISSION = "privacy:export"
CONTENT_TYPE = "application/zip"


def start_export(principal: Principal, subject: Subject, info: RequestInfo) -> tuple[JobOut, str]:
    """Queue the export job and note whom it is about, audited, in one transaction."""
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    job = enqueue(uow, kind=EXPORT, params={})
    uow.create(PrivacyExportItem(tenant_id=principal.tenant_id, id=job.id, subject_user_id=subject.user_id,
                                 subject_email=subject.email), conflict=Conflict("id collision; retry"))
    uow.commit()
    return job, job_location(job.id)


def download_url(principal: Principal, job_id: str) -> str:
    """A fresh URL of the archive; the job shows (and so downloads) to whoever started it or holds
    ``privacy:export``."""
    job = get_job(principal, job_id)
    if job.kind != EXPORT.name:
        raise NotFound(f"export {job_id} not found")
    if job.status != "succeeded" or job.result is None:
        raise Conflict(f"export {job_id} is {job.status}; it can be downloaded once it has succeeded")
    return files.download_url(archive_key(principal.tenant_id, job_id), filename=f"personal-data-{job_id}.zip")


def archive_key(tenant_id: str, job_id: str) -> str:
    return files.tenant_key(tenant_id, "privacy-exports", f"{job_id}.zip")


def _document(value: Any) -> bytes:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str).encode()


def run_export(job: JobContext) -> dict[str, Any]:
    wanted = PrivacyExportItem.load(job.tenant_id, job.job_id, consistent=True)
    subject = identified(job.tenant_id, Subject(user_id=wanted.subject_user_id, email=wanted.subject_email))
    providers = manifest.personal_data_providers()
    counts: dict[str, int] = {}
    file_count = 0
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("subject.json", _document({
                "user_id": subject.user_id, "email": subject.email, "exported_at": clock.iso(clock.now()),
                "contexts": {provider.name: provider.description for provider in providers}}))
            for done, provider in enumerate(providers):
                job.progress(done / len(providers), f"exporting {provider.name}")
                records = provider.find(job.tenant_id, subject)
                counts[provider.name] = len(records)
                archive.writestr(f"{provider.name}.json", _document({
                    "context": provider.name, "description": provider.description,
                    "records": [{"type": r.type, "id": r.id, "data": r.data, "files": list(r.files)}
                                for r in records]}))
                for key in (key for record in records for key in record.files):
                    if (body := files.read(key)) is not None:
                        archive.writestr(f"files/{key.removeprefix(files.tenant_key(job.tenant_id) + '/')}", body)
                        file_count += 1
        digest = hashlib.sha256(path.read_bytes())
        key = archive_key(job.tenant_id, job.job_id)
        files.upload(key, path, content_type=CONTENT_TYPE, sha256_b64=base64.b64encode(digest.digest()).decode(),
                     tags=EXPORTS.tag)
        size = path.stat().st_size
    return {"records": counts, "files": file_count, "bytes": size, "sha256": digest.hexdigest(),
            "url": files.download_url(key, filename=f"personal-data-{job.job_id}.zip"),
            "url_expires_at": clock.iso(clock.now() + timedelta(seconds=files.DOWNLOAD_URL_SECONDS))}


# Declared beside the code that starts it, which reaches it by import (``privacy/jobs.py`` lists it).
EXPORT = JobKind(
    name="privacy.export",
    run=run_export,
    description="Write what every context holds about a person (JSON per context, and their files) to a zip with its "
                "SHA-256.",
    permission=EXPORT_PERMISSION,
    grants=frozenset({Grant.TABLE_READ, Grant.FILES_READ, Grant.FILES_WRITE}),
    timeout_seconds=300,
)
