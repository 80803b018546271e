"""Approval certificates: a PDF rendered by a job when a proof is approved, stored with its SHA-256.

The job (``render``) reads the proof with its decisions, refuses unless the proof is approved at the version it
was started for, renders the PDF (``certificate_pdf``), stores it at
``tenants/<tenant>/proofs/<proof_id>/certificate-v<n>.pdf`` (S3 checks the SHA-256) and records a
``ProofCertificateItem`` with the event ``proof.certificate_issued`` in one unit of work. A retried job renders the
same bytes (the PDF is a pure function of the proof's record), overwrites the object and finds the item already
recorded, so it records nothing twice.

An erasure of a reviewer reissues the certificates of the versions they decided on (``reissue``): the job renders
the version's certificate again from the record as the erasure left it, whatever the proof's state now, and
replaces the file and its item, so no certificate keeps the erased person's address, note or IP.
"""

import base64
import hashlib
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from atrium.apps.proofs.events import PROOF_CERTIFICATE_ISSUED, ProofCertificateIssued
from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs.certificate_pdf import Certificate, CertificateDecision, CertificateReviewer, render_pdf
from atrium.apps.proofs.proofs.models import PROOF, DecisionItem, ProofCertificateItem, ProofItem, ProofVersionItem
from atrium.apps.proofs.proofs.presenters import certificate_out
from atrium.apps.proofs.proofs.schemas import CertificateOut, ProofStatus
from atrium.identity.api import active_members
from atrium.jobs.api import enqueue
from atrium.kernel import clock, files, ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork

CONTENT_TYPE = "application/pdf"
CERTIFICATE_TAG = "atrium-kind=proof-certificate"  # kept: no lifecycle rule matches it
# The proof ("#") and its certificates ("ProofCertificate#<version>") sort first in its partition.
_CERTIFICATES_RANGE = (keys.ENTITY_SK, f"{ProofCertificateItem.type_name()}$")


def start(uow: UnitOfWork, proof: ProofItem) -> None:
    """Render the certificate of ``proof``'s current version once ``uow`` (its approval) commits."""
    enqueue(uow, kind=RENDER_CERTIFICATE, params={"proof_id": proof.id, "version": int(proof.current_version)})


def reissue(tenant_id: str, proof_ids: set[str], actor: Ref) -> int:
    """Start rendering again every certificate issued for the proofs ``proof_ids``; how many. One Query a proof,
    then one unit of work."""
    issued = [item for proof_id in sorted(proof_ids)
              for item in Item.query(keys.entity_pk(tenant_id, PROOF, proof_id), Item.sk.between(*_CERTIFICATES_RANGE),
                                     consistent_read=True)
              if isinstance(item, ProofCertificateItem)]
    if issued:
        uow = UnitOfWork(tenant_id, actor)
        for certificate in issued:
            enqueue(uow, kind=RENDER_CERTIFICATE, params={
                "proof_id": certificate.proof_id, "version": int(certificate.version_number), "reissue": True})
        uow.commit()
    return len(issued)


def render(job: JobContext) -> dict[str, Any]:
    proof_id, number = str(job.params["proof_id"]), int(job.params["version"])
    state = proof_store.load_for_change(job.tenant_id, proof_id)
    proof = state.proof
    reissuing = bool(job.params.get("reissue"))
    if not reissuing and (proof.status != ProofStatus.APPROVED or proof.current_version != number):
        raise Conflict(f"proof {proof_id} is not approved at version {number} (it is {proof.status} at version "
                       f"{int(proof.current_version)}); no certificate is issued")
    version, stored = _version_and_certificate(job.tenant_id, proof_id, number)
    if reissuing and stored is None:
        raise Conflict(f"version {number} of proof {proof_id} has no certificate to reissue")
    decisions = [d for d in state.decisions if d.version_number == number]
    members = active_members(job.tenant_id, {r.user_id for r in proof.reviewers})
    body = render_pdf(_certificate(proof, version, decisions, {m.user_id: m.email for m in members.values()}))
    digest = hashlib.sha256(body)
    key = files.tenant_key(job.tenant_id, "proofs", proof_id, f"certificate-v{number}.pdf")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "certificate.pdf"
        path.write_bytes(body)
        files.upload(key, path, content_type=CONTENT_TYPE, sha256_b64=base64.b64encode(digest.digest()).decode(),
                     tags=CERTIFICATE_TAG)
    if stored is None or stored.sha256 != digest.hexdigest():
        _record(proof, ProofCertificateItem(tenant_id=job.tenant_id, proof_id=proof_id, version_number=number,
                                            file_key=key, sha256=digest.hexdigest(), size=len(body),
                                            job_id=job.job_id), replacing=stored)
    url, expires_at = _download(proof_id, number, key)
    return {"version": number, "sha256": digest.hexdigest(), "bytes": len(body), "url": url,
            "url_expires_at": clock.iso(expires_at)}


def get_certificate(tenant_id: str, proof_id: str) -> CertificateOut:
    """The certificate of the proof's current version, with a fresh download URL; one Query."""
    if not ids.is_valid_id(proof_id, "prf"):
        raise proof_store.not_found(proof_id)
    items = list(Item.query(keys.entity_pk(tenant_id, PROOF, proof_id), Item.sk.between(*_CERTIFICATES_RANGE)))
    proof = next((item for item in items if isinstance(item, ProofItem)), None)
    if proof is None:
        raise proof_store.not_found(proof_id)
    certificate = next((item for item in items if isinstance(item, ProofCertificateItem)
                        and item.version_number == proof.current_version), None)
    if certificate is None:
        raise NotFound(f"proof {proof_id} has no approval certificate: it is issued once the proof is approved")
    url, expires_at = _download(proof_id, int(certificate.version_number), certificate.file_key)
    return certificate_out(certificate, url, expires_at)


def _version_and_certificate(tenant_id: str, proof_id: str,
                             number: int) -> tuple[ProofVersionItem, ProofCertificateItem | None]:
    """The version and its certificate if one was recorded (by an earlier attempt); one consistent BatchGetItem."""
    wanted = [ProofVersionItem(tenant_id=tenant_id, proof_id=proof_id, number=number),
              ProofCertificateItem(tenant_id=tenant_id, proof_id=proof_id, version_number=number)]
    for item in wanted:
        item.assign_keys()
    found = list(Item.batch_get([(item.pk, item.sk) for item in wanted], consistent_read=True))
    version = next((item for item in found if isinstance(item, ProofVersionItem)), None)
    if version is None:
        raise NotFound(f"version {number} of proof {proof_id} not found")
    return version, next((item for item in found if isinstance(item, ProofCertificateItem)), None)


def _certificate(proof: ProofItem, version: ProofVersionItem, decisions: list[DecisionItem],
                 member_emails: dict[str, str]) -> Certificate:
    """The certificate's content; a reviewer's email is the one their decision recorded, else their current one."""
    emails = member_emails | {d.reviewer_id: d.reviewer_email for d in decisions if d.reviewer_email}
    approvals = [d for d in decisions if d.decision == "approved"]
    return Certificate(
        proof_id=proof.id, title=proof.title, version=int(version.number), filename=version.filename,
        sha256=version.sha256, size=int(version.size),
        approved_at=max(d.created_at for d in approvals) if approvals else proof.updated_at,
        reviewers=[CertificateReviewer(user_id=r.user_id, email=emails.get(r.user_id, ""), required=r.required)
                   for r in proof.reviewers],
        decisions=[CertificateDecision(reviewer_id=d.reviewer_id, reviewer_email=d.reviewer_email,
                                       decision=d.decision, decided_at=d.created_at, ip=d.ip, note=d.note)
                   for d in decisions])


def _record(proof: ProofItem, certificate: ProofCertificateItem, *, replacing: ProofCertificateItem | None) -> None:
    uow = UnitOfWork(proof.tenant_id, Ref(type="job", id=certificate.job_id))
    if replacing is not None:
        certificate.version = replacing.version
    uow.save(certificate)  # a new item must not exist yet; a replaced one must be as it was read
    data = ProofCertificateIssued(proof_id=proof.id, version=int(certificate.version_number),
                                  sha256=certificate.sha256, size=int(certificate.size))
    uow.record(PROOF_CERTIFICATE_ISSUED.name, subject=proof_store.subject(proof), data=data.model_dump())
    uow.commit()


def _download(proof_id: str, number: int, key: str) -> tuple[str, datetime]:
    url = files.download_url(key, filename=f"{proof_id}-certificate-v{number}.pdf")
    return url, clock.now() + timedelta(seconds=files.DOWNLOAD_URL_SECONDS)


# Declared beside the code that starts it, which reaches it by import (``apps/proofs/jobs.py`` lists it).
RENDER_CERTIFICATE = JobKind(
    name="proofs.render_certificate", run=render,
    description="Render a proof's approval certificate (PDF) and store it with its SHA-256.",
    permission="proofs:review",
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE}),
    layers=frozenset({"pdf"}))
