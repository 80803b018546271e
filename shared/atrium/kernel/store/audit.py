"""The audit entry item, written by the unit of work beside every change it records.

An entry is born *pending*: it sits in its tenant's pending collection (gsi2), so writers never
contend with each other. The audit context's chainer later gives it the next sequence number of
the tenant's chain and its keyed hash, moving it to the chain's collection (gsi2, in buckets of
``CHAIN_BUCKET`` sequence numbers). Entries are also listed per tenant by time in monthly
buckets (gsi1), sorted by when they occurred, so a list walks few buckets and a time range is a
key condition.

What an entry says about a person (a user's or a customer's name, what a person put in ``metadata``) is sealed by
the audit context's chainer under that person's key before the entry is hashed (``atrium.audit.subject_keys``):
the chain hashes what is stored, so erasing the person (destroying their key) leaves it verifying.
"""

import json
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.protection import personal

AUDIT_ENTITY = "Audit"
# The event the relay puts on the bus for a tenant with new entries: it wakes the audit chainer.
ENTRIES_WRITTEN = "audit.entries_written"
PENDING_COLLECTION = "AuditPending"
CHAIN_COLLECTION = "AuditChain"
# Sequence numbers per chain bucket: one bucket's Query pages never hold more of the chain.
CHAIN_BUCKET = 10_000
# The largest ``metadata`` an entry keeps (its JSON, in bytes): entries stay small and cheap to verify.
MAX_METADATA_BYTES = 4096


class RefAttribute(MapAttribute[str, str]):
    """An actor or target: what it is, its id and, when known, a name a person recognizes (sealed once chained when
    it is about a person)."""

    type = UnicodeAttribute()
    id = UnicodeAttribute()
    name = UnicodeAttribute(null=True)

    def as_dict(self) -> dict[str, str | None]:
        return {"type": self.type, "id": self.id, "name": self.name}


class AuditItem(Item, discriminator=AUDIT_ENTITY):
    tenant_id = UnicodeAttribute()
    id = UnicodeAttribute()
    action = UnicodeAttribute()
    outcome = UnicodeAttribute(default="success")
    actor = RefAttribute()  # type: ignore[no-untyped-call]
    targets = ListAttribute(of=RefAttribute)
    # "type:id" of every target, so a list can filter on one.
    target_keys = UnicodeSetAttribute()
    context = MapAttribute[str, str](default=dict)  # type: ignore[no-untyped-call]
    # Kept as canonical JSON: what is hashed is exactly what is stored (DynamoDB rewrites numbers).
    metadata_json = UnicodeAttribute(default="{}")
    seq = NumberAttribute(null=True)
    chain_hash = UnicodeAttribute(null=True)
    # While the entry is pending, its names and metadata (``fold``), sealed under the tenant's data key: neither the
    # table nor its stream holds them in plaintext before the chainer seals each person's under their own key.
    folded = personal(UnicodeAttribute(null=True))

    def fold(self) -> None:
        """Move the names and metadata into ``folded`` (the unit of work, as it writes the entry)."""
        self.folded = canonical_json({"actor": self.actor.name, "targets": [target.name for target in self.targets],
                                      "metadata": self.metadata_json})
        self.actor.name, self.metadata_json = None, "{}"
        for target in self.targets:
            target.name = None

    def unfold(self) -> None:
        """Put the names and metadata back where they belong (the chainer, before it seals and hashes; readers of a
        pending entry)."""
        if self.folded is None:
            return
        folded = json.loads(self.folded)
        self.actor.name, self.metadata_json, self.folded = folded["actor"], folded["metadata"], None
        for target, name in zip(self.targets, folded["targets"], strict=True):
            target.name = name

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, AUDIT_ENTITY, self.id)
        self.gsi1pk = month_bucket_pk(self.tenant_id, self.created_at)
        self.gsi1sk = f"{time_key(self.created_at)}#{self.id}"
        if self.seq is None:
            self.gsi2pk, self.gsi2sk = keys.collection_pk(self.tenant_id, PENDING_COLLECTION), self.id
        else:
            seq = int(self.seq)
            self.gsi2pk, self.gsi2sk = chain_bucket_pk(self.tenant_id, chain_bucket(seq)), seq_key(seq)

    @property
    def request_context(self) -> dict[str, str]:
        return dict(self.context.as_dict())  # type: ignore[no-untyped-call]


def month_bucket_pk(tenant_id: str, at: datetime) -> str:
    return keys.bucketed_collection_pk(tenant_id, AUDIT_ENTITY, at.astimezone(UTC).strftime("%Y-%m"))


def time_key(at: datetime) -> str:
    """Microsecond ISO time: sorts as time does, and bounds a time range in a key condition."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_bucket(seq: int) -> int:
    return seq // CHAIN_BUCKET


def chain_bucket_pk(tenant_id: str, bucket: int) -> str:
    return keys.bucketed_collection_pk(tenant_id, CHAIN_COLLECTION, str(bucket))


def seq_key(seq: int) -> str:
    """Zero-padded, so the chain sorts by sequence number."""
    return f"{seq:012d}"
