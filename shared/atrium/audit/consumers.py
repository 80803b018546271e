"""Audit consumers: chain new entries; re-stamp retention."""

from atrium.audit import chaining, retention
from atrium.audit.events import ENTRIES_WRITTEN_EVENT, RETENTION_CHANGED_EVENT
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant


def chain_entries(event: Envelope) -> None:
    chaining.chain_pending(event.tenant_id)


CONSUMERS = [
    ConsumerSpec(
        name="audit.chain_entries",
        source=Events(types=(ENTRIES_WRITTEN_EVENT.name,)),
        handler=chain_entries,
        description="Give a tenant's new audit entries their place in its hash chain; checkpoint the head.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.AUDIT_KEY_READ, Grant.AUDIT_CHECKPOINTS_WRITE}),
        # Racing chainers of one busy tenant retry each other's conflicts; give them room before the DLQ.
        max_receive_count=10,
        timeout_seconds=60,
    ),
    ConsumerSpec(
        name="audit.restamp_retention",
        source=Events(types=(RETENTION_CHANGED_EVENT.name,)),
        handler=retention.restamp,
        description="Keep every chained audit entry for the tenant's new retention.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
        timeout_seconds=300,
    ),
]
