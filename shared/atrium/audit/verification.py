"""Verify a tenant's chain: walk it in sequence order, recompute every link, and hold it against
the head and the signed checkpoints.

What each tampering looks like:
- an edited entry (any recorded field) no longer matches its hash: ``altered``;
- entries moved to other positions (sequence numbers swapped) no longer match either: ``altered``;
- a deleted entry leaves a gap in the sequence: ``missing``;
- a cut tail (entries deleted, head rewound) falls short of the head or of a checkpoint it once
  reached: ``truncated``;
- a forged or edited checkpoint fails its signature: ``bad_checkpoint``.
Entries older than the tenant's retention leave the table by TTL; a gap at the start of the chain
is accepted as expired only when no checkpoint says those entries should still be there.

A chainer may commit while the walk runs: the walk would then find entries past the head it read,
which looks like tampering. When the walk does not end at the head, the head is read again and the
walk repeated while it moved, so a report describes one state of the chain.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from atrium.audit import checkpoints
from atrium.audit.chain_keys import chain_key, entry_digest
from atrium.audit.checkpoints import Checkpoint
from atrium.audit.models import GENESIS, ChainHead
from atrium.audit.state import read_state
from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.audit import PENDING_COLLECTION, AuditItem, chain_bucket, chain_bucket_pk
from atrium.kernel.store.models import Item


@dataclass(frozen=True)
class Finding:
    kind: str  # altered | missing | truncated | bad_checkpoint
    detail: str
    seq: int | None = None
    entry_id: str | None = None


@dataclass
class Report:
    tenant_id: str
    head_seq: int = 0
    entries_verified: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    # Entries before this one have expired (retention); None when the chain starts at 1.
    expired_before_seq: int | None = None
    pending: int = 0
    checkpoints_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


# Walks before a report is given on a chain that kept moving (a busy tenant's chain is then
# reported as of its last walk; the next verification checks it again).
MAX_WALKS = 5


def verify(tenant_id: str) -> Report:
    state = read_state(tenant_id)
    kept_since = clock.now() - timedelta(days=state.retention_days)
    head = state.head
    for _ in range(MAX_WALKS):
        report = Report(tenant_id, head_seq=int(head.seq))
        saved = checkpoints.read_all(tenant_id)
        last = _walk(tenant_id, head, saved, report)
        if _ends_at(head, last):
            break
        moved = ChainHead.find_head(tenant_id)  # read only when the walk and the head disagree
        if int(moved.seq) == int(head.seq):
            break
        head = moved
    _check_tail(head, last, report)
    _check_checkpoints(saved, report, kept_since)
    _check_start(saved, report, kept_since)
    report.pending = sum(1 for _ in Item.gsi2.query(keys.collection_pk(tenant_id, PENDING_COLLECTION)))
    return report


def _chain(tenant_id: str, through_seq: int) -> Iterator[AuditItem]:
    """The chained entries in sequence order, through the bucket after ``through_seq`` (entries past a
    rewound head are found too)."""
    for bucket in range(chain_bucket(through_seq) + 2):
        for item in Item.gsi2.query(chain_bucket_pk(tenant_id, bucket)):
            if isinstance(item, AuditItem):
                yield item


def _walk(tenant_id: str, head: ChainHead, saved: list[Checkpoint], report: Report) -> AuditItem | None:
    key = chain_key(tenant_id)
    known = {checkpoint.seq: checkpoint.hash for checkpoint in saved if checkpoint.authentic}
    previous: AuditItem | None = None
    reach = max([int(head.seq), *known]) if known else int(head.seq)
    for entry in _chain(tenant_id, reach):
        seq = int(entry.seq or 0)
        prev_seq = int(previous.seq or 0) if previous else 0
        prev_hash = previous.chain_hash if previous else (GENESIS if seq == 1 else known.get(seq - 1))
        if previous is None:
            report.first_seq = seq
        elif seq > prev_seq + 1:
            report.findings.append(Finding("missing", f"entries {prev_seq + 1} to {seq - 1} are missing", seq))
            prev_hash = known.get(seq - 1)
        if seq in known and known[seq] != entry.chain_hash:
            report.findings.append(Finding("altered", "the entry's hash differs from its checkpoint", seq, entry.id))
        elif prev_hash is not None and entry_digest(key, prev_hash, entry) != entry.chain_hash:
            report.findings.append(Finding("altered", "the entry's content or position does not match its hash",
                                           seq, entry.id))
        report.entries_verified += 1
        report.last_seq = seq
        previous = entry
    return previous


def _ends_at(head: ChainHead, last: AuditItem | None) -> bool:
    return (int(last.seq or 0) if last else 0) == int(head.seq) and (last is None or last.chain_hash == head.hash)


def _check_tail(head: ChainHead, last: AuditItem | None, report: Report) -> None:
    last_seq = int(last.seq or 0) if last else 0
    if last_seq < int(head.seq):
        report.findings.append(Finding("truncated", f"the chain ends at {last_seq} but its head is at {int(head.seq)}",
                                       last_seq + 1))
    elif last is not None and (last_seq > int(head.seq) or last.chain_hash != head.hash):
        report.findings.append(Finding("altered", "the head does not point at the last entry", last_seq, last.id))


def _check_checkpoints(saved: list[Checkpoint], report: Report, kept_since: datetime) -> None:
    """A checkpoint the chain no longer reaches, whose entry is still within retention, means a cut."""
    for checkpoint in saved:
        report.checkpoints_checked += 1
        if not checkpoint.authentic:
            report.findings.append(Finding("bad_checkpoint", "a checkpoint's signature does not verify"))
        elif (report.last_seq is None or checkpoint.seq > report.last_seq) and _still_kept(checkpoint, kept_since):
            report.findings.append(Finding(
                "truncated", f"a checkpoint shows the chain reached {checkpoint.seq}", checkpoint.seq))


def _check_start(saved: list[Checkpoint], report: Report, kept_since: datetime) -> None:
    """A chain that starts after 1 lost its oldest entries: fine if they expired, not if they were deleted."""
    if report.first_seq is None or report.first_seq == 1:
        return
    if any(c.authentic and c.seq < report.first_seq and _still_kept(c, kept_since) for c in saved):
        report.findings.append(Finding("missing", f"entries before {report.first_seq} are gone within retention", 1))
    else:
        report.expired_before_seq = report.first_seq


def _still_kept(checkpoint: Checkpoint, kept_since: datetime) -> bool:
    return checkpoint.occurred_at is None or checkpoint.occurred_at >= kept_since
