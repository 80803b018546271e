"""Throughput of tenant backups (compliance/backups/): a tenant of fieldwork customers (four protected attributes
each) backed up, restored into a new tenant (decrypted and sealed again under its key) and rolled back in place,
each job run in this process against the run's moto server, as its Lambda would run it."""

import time
from collections.abc import Callable
from typing import Any

from atrium.apps.fieldwork.customers.models import CustomerItem
from atrium.compliance.backups import restore, snapshot
from atrium.compliance.tenant_items import put_items
from atrium.identity.models import UserItem
from atrium.kernel import ids
from atrium.kernel.events.envelope import Ref
from atrium.kernel.jobs import JobContext
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from bench.field_encryption import VALUES
from bench.report import Table
from bench.scale import Scale


def _job(tenant_id: str, params: dict[str, Any]) -> JobContext:
    return JobContext(tenant_id=tenant_id, job_id=ids.new_id("job"), params=params, attempt=1,
                      report=lambda _fraction, _message: None)


def _timed(run: Callable[[], dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def table(scale: Scale) -> Table:
    count = 50 if scale.smoke else 5000
    tenant_id, owner = ids.new_id("ten"), UserItem(natural_key=ids.new_id("usr"), email="bench@backups.example",
                                                   password_hash="-")
    owner.save()
    with tenant_scope(tenant_id):
        put_items(tenant_id, [CustomerItem(tenant_id=tenant_id, id=ids.new_id("cus"), **VALUES).serialize()
                              for _ in range(count)])
        uow = UnitOfWork(tenant_id, Ref(type="user", id=owner.natural_key))
        backup = snapshot.start_backup(uow, "manual")
        uow.commit()
        runs = [("backup", _timed(lambda: snapshot.run_backup(_job(tenant_id, {"backup_id": backup.id}))))]
        for label, params in (
                ("restore into a new tenant", {"target": restore.NEW_TENANT, "new_tenant_id": ids.new_id("ten"),
                                               "name": "Bench (restored)", "owner_user_id": owner.natural_key}),
                ("restore over the same tenant", {"target": restore.SAME_TENANT})):
            runs.append((label, _timed(lambda params=params: restore.run_restore(  # type: ignore[misc]
                _job(tenant_id, {"backup_id": backup.id, **params})))))
    rows = [(label, f"{seconds:.2f}", f"{count / seconds:,.0f}", str(result.get("verified", "-")).lower())
            for label, (seconds, result) in runs]
    return Table(
        f"Backup and restore throughput ({count:,} fieldwork customers, 4 protected attributes each)",
        ("job", "seconds", "items / s", "verified"), rows,
        notes=("bench/backups.py, in the bench's own process against its moto server (one client, no parallel "
               "segments). A backup scans the table, writes parts of 1,000 items and hashes each item decrypted; a "
               "restore into a new tenant decrypts and seals each item again, writes it (BatchWriteItem, 25 a call) "
               "and walks the result to verify it; a restore over the same tenant puts the items back as stored. "
               "moto, not DynamoDB: the ratios between rows mean more than the figures.",))
