"""Audit items and reports as API shapes."""

from dataclasses import asdict

from atrium.audit.schemas import AuditEventOut, FindingOut, RefOut, RequestContextOut, VerificationOut
from atrium.audit.verification import Report
from atrium.kernel.store.audit import AuditItem, RefAttribute


def _ref(ref: RefAttribute) -> RefOut:
    return RefOut(type=ref.type, id=ref.id, name=ref.name)


def audit_event_out(entry: AuditItem) -> AuditEventOut:
    return AuditEventOut(
        id=entry.id, action=entry.action, occurred_at=entry.created_at, actor=_ref(entry.actor),
        targets=[_ref(target) for target in entry.targets],
        context=RequestContextOut.model_validate(entry.request_context), metadata=entry.metadata,
        outcome=entry.outcome,
        seq=int(entry.seq) if entry.seq is not None else None, hash=entry.chain_hash,
    )


def verification_out(report: Report) -> VerificationOut:
    return VerificationOut(
        intact=report.intact, head_seq=report.head_seq, entries_verified=report.entries_verified,
        first_seq=report.first_seq, last_seq=report.last_seq, expired_before_seq=report.expired_before_seq,
        pending=report.pending, checkpoints_checked=report.checkpoints_checked,
        findings=[FindingOut.model_validate(asdict(finding)) for finding in report.findings],
    )
