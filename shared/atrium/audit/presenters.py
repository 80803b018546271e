"""Audit items and reports as API shapes. An entry's personal fields are opened with their subjects' keys
(``subject_keys.Opener``): an erased person's read as null (a name) or ``{}`` (metadata)."""

import json
from dataclasses import asdict

from atrium.audit.schemas import AuditEventOut, FindingOut, RefOut, RequestContextOut, VerificationOut
from atrium.audit.subject_keys import Opener
from atrium.audit.verification import Report
from atrium.kernel.store.audit import AuditItem, RefAttribute


def _ref(opener: Opener, entry: AuditItem, field: str, ref: RefAttribute) -> RefOut:
    return RefOut(type=ref.type, id=ref.id, name=opener.name(entry, field, ref))


def audit_event_out(entry: AuditItem, opener: Opener) -> AuditEventOut:
    """The entry as the API shows it; ``opener`` holds the keys of the people it names (prefetched for a page)."""
    return AuditEventOut(
        id=entry.id, action=entry.action, occurred_at=entry.created_at, actor=_ref(opener, entry, "actor", entry.actor),
        targets=[_ref(opener, entry, f"target:{index}", target) for index, target in enumerate(entry.targets)],
        context=RequestContextOut.model_validate(entry.request_context),
        metadata=json.loads(opener.metadata_json(entry)),
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
