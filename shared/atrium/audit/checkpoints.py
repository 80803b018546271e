"""Signed checkpoints of a chain's head, kept in an S3 bucket with Object Lock (compliance mode).

Nobody (not even the account root) can delete or overwrite a checkpoint during its retention, so
a chain that was cut short (entries deleted and the head rewound) no longer reaches a checkpoint
it once reached. Each checkpoint carries an HMAC under the tenant's checkpoint key, so a forged
one is refused.
"""

import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import boto3

from atrium.audit.chain_keys import checkpoint_key, mac
from atrium.audit.models import MAX_RETENTION_DAYS, ChainHead
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.store.audit import canonical_json, seq_key

PREFIX = "audit-checkpoints"
# How long Object Lock keeps each checkpoint: beyond the longest retention a tenant can choose.
CHECKPOINT_RETENTION_DAYS = MAX_RETENTION_DAYS + 10


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    occurred_at: datetime | None
    authentic: bool


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3", region_name=settings().region)


_SIGNED_FIELDS = ("tenant_id", "seq", "hash", "occurred_at")


def write(tenant_id: str, head: ChainHead) -> None:
    """Put a checkpoint of ``head``; the object's key is its sequence number, so a repeat is harmless."""
    occurred_at = head.last_occurred_at.isoformat() if head.last_occurred_at else None
    body = {"tenant_id": tenant_id, "seq": int(head.seq), "hash": head.hash, "occurred_at": occurred_at}
    signature = mac(checkpoint_key(tenant_id), canonical_json(body))
    document = body | {"written_at": clock.iso(clock.now()), "mac": signature}
    _s3().put_object(Bucket=settings().audit_checkpoint_bucket,
                     Key=f"{PREFIX}/{tenant_id}/{seq_key(int(head.seq))}.json", Body=json.dumps(document).encode(),
                     ContentType="application/json", ChecksumAlgorithm="SHA256")


def read_all(tenant_id: str) -> list[Checkpoint]:
    """Every checkpoint of the tenant's chain, oldest first."""
    key = checkpoint_key(tenant_id)
    paginator = _s3().get_paginator("list_objects_v2")
    found = []
    for page in paginator.paginate(Bucket=settings().audit_checkpoint_bucket, Prefix=f"{PREFIX}/{tenant_id}/"):
        for listed in page.get("Contents", []):
            raw = _s3().get_object(Bucket=settings().audit_checkpoint_bucket, Key=listed["Key"])["Body"].read()
            found.append(_parse(tenant_id, key, raw))
    return sorted(found, key=lambda checkpoint: checkpoint.seq)


def _parse(tenant_id: str, key: bytes, raw: bytes) -> Checkpoint:
    try:
        document = json.loads(raw)
        body = {name: document.get(name) for name in _SIGNED_FIELDS}
        authentic = body["tenant_id"] == tenant_id and hmac.compare_digest(
            str(document.get("mac", "")), mac(key, canonical_json(body)))
        occurred_at = datetime.fromisoformat(body["occurred_at"]) if body["occurred_at"] else None
        return Checkpoint(int(body["seq"]), str(body["hash"]), occurred_at, authentic)
    except (ValueError, TypeError, AttributeError):  # not even shaped like a checkpoint
        return Checkpoint(seq=-1, hash="", occurred_at=None, authentic=False)
