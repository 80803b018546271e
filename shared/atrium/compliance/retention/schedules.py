"""The daily purge (``SCHEDULES``): for every tenant and rule, what ended before the tenant's retention is deleted,
and each rule that deleted anything is written in the tenant's log."""

from datetime import datetime, timedelta
from typing import Any

from atrium import manifest
from atrium.compliance.retention.events import RETENTION_APPLIED, RetentionApplied
from atrium.compliance.retention.settings import read
from atrium.kernel import clock
from atrium.kernel.events.envelope import Ref
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope

PURGER = Ref(type="service", id="retention")


def apply_retention(at: datetime) -> dict[str, Any]:
    tenants, deleted = 0, 0
    for tenant_id in manifest.tenant_directory().tenant_ids():
        with tenant_scope(tenant_id):
            deleted += _apply(tenant_id, at)
        tenants += 1
    return {"tenants": tenants, "deleted": deleted}


def _apply(tenant_id: str, at: datetime) -> int:
    total = 0
    for rule, days in read(tenant_id)[0].items():
        before = at - timedelta(days=days)
        deleted = rule.purge(tenant_id, before)
        if deleted:
            uow = UnitOfWork(tenant_id, PURGER)
            applied = RetentionApplied(rule=rule.name, days=days, before=clock.iso(before), deleted=deleted)
            uow.record(RETENTION_APPLIED, subject=Ref(type="retention_rule", id=rule.name),
                       data=applied.model_dump(), metadata=applied.model_dump())
            uow.commit()
            logger.info("retention applied", extra={"tenant_id": tenant_id, "rule": rule.name, "deleted": deleted})
        total += deleted
    return total


SCHEDULES = [
    ScheduleSpec(
        name="compliance.apply_retention",
        expression="rate(1 day)",
        handler=apply_retention,
        description="Delete each tenant's data that has outlived its retention (jobs, webhook messages...).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
        timeout_seconds=900,
    ),
]
