"""Proof items as the API shows them (and as events carry them)."""

from datetime import datetime

from atrium.apps.proofs.events import ProofChanged
from atrium.apps.proofs.proofs.models import DecisionItem, ProofCertificateItem, ProofItem, ProofVersionItem
from atrium.apps.proofs.proofs.schemas import (
    CertificateOut,
    DecisionOut,
    ProofOut,
    ProofStatus,
    ReviewerOut,
    VersionOut,
)
from atrium.kernel import clock


def proof_out(proof: ProofItem) -> ProofOut:
    approvals = set(proof.approvals)
    return ProofOut(
        id=proof.id, title=proof.title, description=proof.description, due_date=proof.due_date,
        tags=list(proof.tags), owner_id=proof.owner_id, status=ProofStatus(proof.status),
        reviewers=[ReviewerOut(user_id=r.user_id, required=r.required, approved_current_version=r.user_id in approvals)
                   for r in proof.reviewers],
        current_version=int(proof.current_version) or None, template=proof.template,
        created_at=clock.iso(proof.created_at), updated_at=clock.iso(proof.updated_at))


def proof_changed(proof: ProofItem) -> ProofChanged:
    return ProofChanged(proof_id=proof.id, title=proof.title, status=proof.status, owner_id=proof.owner_id,
                        current_version=int(proof.current_version) or None)


def decision_out(decision: DecisionItem) -> DecisionOut:
    return DecisionOut(id=decision.id, version=int(decision.version_number), reviewer_id=decision.reviewer_id,
                       reviewer_email=decision.reviewer_email, decision=decision.decision, note=decision.note,
                       ip=decision.ip, decided_at=clock.iso(decision.created_at))


def version_out(version: ProofVersionItem) -> VersionOut:
    return VersionOut(version=int(version.number), filename=version.filename, content_type=version.content_type,
                      size=int(version.size), sha256=version.sha256, uploaded_by=version.uploaded_by,
                      created_at=clock.iso(version.created_at))


def certificate_out(certificate: ProofCertificateItem, url: str, url_expires_at: datetime) -> CertificateOut:
    return CertificateOut(version=int(certificate.version_number), sha256=certificate.sha256,
                          size=int(certificate.size), issued_at=clock.iso(certificate.created_at), url=url,
                          url_expires_at=clock.iso(url_expires_at))
