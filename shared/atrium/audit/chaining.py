"""Give pending entries their place in the tenant's chain.

Writers never touch the chain: an entry is written pending, in its own item, so any number of
concurrent writers in one tenant never contend. The chainer (a consumer the relay wakes for each
tenant with new entries, and the scheduled sweep) takes the pending entries oldest first and, in
one transaction per batch, gives each the next sequence number and its keyed hash and moves the
head. The transaction is conditioned on the versions it read, so when two chainers race, one
commits and the other reads again: the chain stays linear and no entry is chained twice or lost.
Before it hashes an entry, the chainer seals what it says about a person under that person's key
(``subject_keys``): the chain hashes what is stored, so erasing the person later leaves it verifying.
"""

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from atrium.audit import checkpoints, subject_keys
from atrium.audit.chain_keys import chain_key, entry_digest
from atrium.audit.models import ChainHead
from atrium.audit.state import read_state
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.audit import PENDING_COLLECTION, AuditItem
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import MAX_TRANSACTION_ITEMS

# Entries per transaction: the rest of it is the head.
BATCH = MAX_TRANSACTION_ITEMS - 1
# Lost races in a row before a run gives up (its message is retried from the queue).
MAX_CONFLICTS = 20


class ChainContended(Exception):
    """Other chainers kept winning; the run is retried later and loses nothing."""


@dataclass(frozen=True)
class ChainRun:
    chained: int
    head_seq: int


def chain_pending(tenant_id: str, *, force_checkpoint: bool = False) -> ChainRun:
    """Chain every pending entry of the tenant; write a checkpoint when one is due."""
    key, chained, conflicts = chain_key(tenant_id), 0, 0
    while True:
        pending = [item.pk for item in Item.gsi2.query(keys.collection_pk(tenant_id, PENDING_COLLECTION),
                                                        limit=BATCH)]
        state = read_state(tenant_id, pending)
        head = state.head
        entries = sorted((entry for entry in state.entries if entry.seq is None), key=lambda entry: entry.id)
        if not entries:  # nothing pending (or the index still lists entries another run chained)
            break
        for entry in entries:
            entry.unfold()
        subject_keys.seal_entries(tenant_id, entries)
        try:
            _commit(head, _link(key, head, entries, state.retention_days))
        except TransactWriteError:
            conflicts += 1
            if conflicts > MAX_CONFLICTS:
                raise ChainContended(f"tenant {tenant_id}: chain head kept moving") from None
            time.sleep(random.uniform(0.005, 0.05) * conflicts)  # let the winner finish its batch
            continue
        chained += len(entries)
    if head.seq > head.checkpointed_seq and (force_checkpoint or _checkpoint_due(head)):
        _checkpoint(tenant_id, head)
    return ChainRun(chained, int(head.seq))


def _link(key: bytes, head: ChainHead, entries: list[AuditItem], retention_days: int) -> list[AuditItem]:
    if head.first_occurred_at is None:
        head.first_occurred_at = entries[0].created_at
    for entry in entries:
        head.seq = int(head.seq) + 1
        entry.seq = head.seq
        entry.chain_hash = entry_digest(key, head.hash, entry)
        # Kept for the tenant's retention from when it happened, never less (see retention.py).
        entry.expires_at = entry.created_at + timedelta(days=retention_days)
        head.hash, head.last_occurred_at = entry.chain_hash, entry.created_at
    return entries


def _commit(head: ChainHead, entries: list[AuditItem]) -> None:
    with TransactWrite(connection=Item._get_connection().connection) as tx:
        for entry in entries:
            tx.save(entry)  # the version read: an entry another run chained fails the whole batch
        tx.save(head)


def _checkpoint_due(head: ChainHead) -> bool:
    last = head.checkpointed_at
    return last is None or clock.now() - last >= timedelta(seconds=settings().audit_checkpoint_seconds)


def _checkpoint(tenant_id: str, head: ChainHead) -> None:
    """Write the checkpoint, then note it on the head. If the note loses a race, the next run writes
    a checkpoint again: a spare checkpoint is harmless, a missing one is not."""
    checkpoints.write(tenant_id, head)
    try:
        head.update(actions=[ChainHead.checkpointed_seq.set(head.seq), ChainHead.checkpointed_at.set(clock.now())])
    except Exception:
        logger.info("checkpoint written; noting it on the head lost a race", extra={"seq": int(head.seq)})
