"""The keyed hash that links a tenant's entries, and the key that signs its checkpoints.

Both keys derive from one secret in Secrets Manager, per tenant and per purpose, so the table
(and whoever can write it) never holds them: an edited entry cannot be given a matching hash.
"""

import hashlib
import hmac

from atrium.kernel.config import settings
from atrium.kernel.secrets import read_secret
from atrium.kernel.store.audit import AuditItem, canonical_json


def _key(tenant_id: str, purpose: str) -> bytes:
    secret = read_secret(settings().audit_secret_id).encode()
    return hmac.new(secret, f"{purpose}\0{tenant_id}".encode(), hashlib.sha256).digest()


def chain_key(tenant_id: str) -> bytes:
    return _key(tenant_id, "audit-chain")


def checkpoint_key(tenant_id: str) -> bytes:
    return _key(tenant_id, "audit-checkpoint")


def mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def entry_digest(key: bytes, prev_hash: str, entry: AuditItem) -> str:
    """The hash of ``entry`` at its ``seq``, linked to the hash before it: a change to any recorded
    field, to the position or to the entry before breaks it."""
    return mac(key, canonical_json({
        "prev": prev_hash, "seq": int(entry.seq or 0), "tenant_id": entry.tenant_id, "id": entry.id,
        "action": entry.action, "occurred_at": entry.created_at.isoformat(), "outcome": entry.outcome,
        "actor": entry.actor.as_dict(), "targets": [target.as_dict() for target in entry.targets],
        "context": entry.request_context, "metadata": entry.metadata_json,
    }))
