"""How long a tenant's entries are kept, and keeping every entry that long.

The chainer stamps each entry's TTL (``expires_at``) from when it happened plus the tenant's
retention at that moment. A change of retention re-stamps the chained entries (a consumer of
``audit.retention_changed``), so no entry expires before the retention in force: longer keeps
every entry longer, shorter lets the old ones go. Checkpoints live in S3 and are not affected.
"""

from datetime import timedelta

from atrium.audit.models import SETTINGS_ID, AuditSettings, ChainHead
from atrium.kernel.config import settings
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.store.audit import AuditItem, chain_bucket, chain_bucket_pk
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

RETENTION_CHANGED = "audit.retention_changed"


def _settings(tenant_id: str) -> AuditSettings | None:
    try:
        return AuditSettings.load(tenant_id, SETTINGS_ID, consistent=True)
    except NotFound:
        return None


def retention_days(tenant_id: str) -> int:
    found = _settings(tenant_id)
    return int(found.retention_days) if found else settings().audit_retention_days


def read(tenant_id: str) -> tuple[int, int]:
    """The retention in days and the version to send in If-Match (0 until the tenant sets one)."""
    found = _settings(tenant_id)
    return (int(found.retention_days), int(found.version or 0)) if found else (settings().audit_retention_days, 0)


def change(principal: Principal, days: int, expected_version: int, info: RequestInfo) -> tuple[int, int]:
    found = _settings(principal.tenant_id)
    if (int(found.version or 0) if found else 0) != expected_version:
        raise PreconditionFailed("the audit settings were changed by another request")
    previous = int(found.retention_days) if found else settings().audit_retention_days
    item = found or AuditSettings(tenant_id=principal.tenant_id, id=SETTINGS_ID)
    item.retention_days = days
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if found:
        uow.save(item)
    else:
        uow.create(item, conflict=PreconditionFailed("the audit settings were changed by another request"))
    uow.record(RETENTION_CHANGED, subject=Ref(type="audit_settings", id=principal.tenant_id),
               data={"retention_days": days, "previous_days": previous})
    uow.commit()
    return days, int(item.version or 0)


def restamp(event: Envelope) -> None:
    """Give every chained entry the TTL the retention now in force gives it (idempotent: entries
    already stamped so are skipped, so a retried run only finishes the work)."""
    days = retention_days(event.tenant_id)
    head = ChainHead.find_head(event.tenant_id)
    for bucket in range(chain_bucket(int(head.seq)) + 1):
        for entry in Item.gsi2.query(chain_bucket_pk(event.tenant_id, bucket)):
            expires_at = entry.created_at + timedelta(days=days)
            stamped = int(entry.expires_at.timestamp()) if entry.expires_at else None
            if isinstance(entry, AuditItem) and stamped != int(expires_at.timestamp()):  # TTL keeps seconds
                entry.update(actions=[AuditItem.expires_at.set(expires_at)])


