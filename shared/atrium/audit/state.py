"""A tenant's audit state, read in one consistent BatchGetItem: the chain head and the retention
(plus any entries the caller names, so the chainer reads everything it needs at once)."""

from collections.abc import Iterable
from dataclasses import dataclass

from atrium.audit.models import HEAD_ID, SETTINGS_ID, AuditSettings, ChainHead
from atrium.kernel.config import settings
from atrium.kernel.store import keys
from atrium.kernel.store.audit import AuditItem
from atrium.kernel.store.models import Item


@dataclass(frozen=True)
class AuditState:
    head: ChainHead
    retention_days: int
    entries: list[AuditItem]


def read_state(tenant_id: str, entry_pks: Iterable[str] = ()) -> AuditState:
    head = ChainHead(tenant_id=tenant_id, id=HEAD_ID)
    chosen = AuditSettings(tenant_id=tenant_id, id=SETTINGS_ID)
    for item in (head, chosen):
        item.assign_keys()
    wanted = [(head.pk, keys.ENTITY_SK), (chosen.pk, keys.ENTITY_SK), *((pk, keys.ENTITY_SK) for pk in entry_pks)]
    found = list(Item.batch_get(wanted, consistent_read=True))
    entries: list[AuditItem] = [item for item in found if isinstance(item, AuditItem)]
    return AuditState(
        head=next((item for item in found if isinstance(item, ChainHead)), head),
        retention_days=next((int(item.retention_days) for item in found if isinstance(item, AuditSettings)),
                            settings().audit_retention_days),
        entries=entries,
    )
