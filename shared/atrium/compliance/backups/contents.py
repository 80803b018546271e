"""What a backup holds and what a restore writes back, and the content hashes that verify a restore.

- ``TRANSIENT`` types are never backed up, and a restore leaves them as they are: the mechanics of requests and
  deliveries (sessions, idempotency records, the outbox, rate windows, counters), the tenant's data keys (a
  backup's ciphertext reads with the source tenant's keys, so destroying them makes its backups unreadable too),
  the audit log and its subjects' keys (append-only and chained: the restore is written in it, not undone; an
  erased person's key stays destroyed), jobs and backups themselves.
- ``KEPT`` types are backed up but neither restore writes them: their truth is partly outside the tenant's items,
  in global items or another system (the tenant's record and its directory entry, members and their users'
  tenant lists, invitations, API tokens and their global secrets, the Stripe subscription and customer, metered
  usage already reported, payment accounts, inbound hooks' global addresses), and the tenant's erasures (a
  rollback must not undo that a person was erased: the restore replays them, ``replay``). A new tenant gets its
  own (its owner is whoever restores).
- Everything else is restored, and verified: counts and content hashes per type.

A content hash is the SHA-256 of the item's canonical JSON, protected attributes decrypted (so it does not depend
on the key that sealed them) and the tenant's id replaced by a placeholder (so an item keeps its hash in a new
tenant, whose keys differ only by that id).
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from atrium.compliance.tenant_items import RawItem, entity_of, model_of
from atrium.kernel.store.field_encryption import open_fields, seal_fields

TRANSIENT = frozenset({"Session", "Idempotency", "Outbox", "RateWindow", "Count", "WebhookRateWindow", "DataKeys",
                       "Audit", "AuditHead", "AuditSubjectKey", "Job", "Backup", "BackupSchedule"})
KEPT = frozenset({"Tenant", "Membership", "Invitation", "ApiToken", "Subscription", "StripeCustomer", "Usage",
                  "MeterReport", "DunningNotice", "PaymentAccount", "PaymentSession", "InboundHook",
                  "PrivacyErasure"})
_PLACEHOLDER = "{tenant}"


def backed_up(raw: RawItem) -> bool:
    return entity_of(raw) not in TRANSIENT


def restored(entity: str) -> bool:
    return entity not in TRANSIENT and entity not in KEPT


def opened(raw: RawItem) -> RawItem:
    """The item with its protected attributes decrypted (in its tenant's scope)."""
    return open_fields(model_of(raw), raw)


def moved(raw: RawItem, source: str, target: str) -> RawItem:
    """An item of ``source`` (decrypted) as ``target``'s: every occurrence of the tenant's id rewritten (keys, the
    ``tenant_id`` attribute, file keys), its protected attributes sealed under ``target``'s key (in its scope: the
    associated data binds the new keys)."""
    rewritten: RawItem = json.loads(json.dumps(raw).replace(source, target))
    return seal_fields(model_of(rewritten), rewritten)


def content_hash(raw: RawItem, tenant_id: str) -> str:
    """The hash of an item decrypted (``opened``), wherever its tenant."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":")).replace(tenant_id, _PLACEHOLDER)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Digest:
    """Counts and content hashes per type, in any order of items."""

    hashes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, raw: RawItem, tenant_id: str) -> None:
        self.hashes[entity_of(raw)].append(content_hash(raw, tenant_id))

    def summary(self) -> dict[str, dict[str, Any]]:
        """``{type: {"items": n, "content_sha256": hash of the sorted item hashes}}``."""
        return {entity: {"items": len(found), "content_sha256": hashlib.sha256(
            "\n".join(sorted(found)).encode()).hexdigest()} for entity, found in sorted(self.hashes.items())}
