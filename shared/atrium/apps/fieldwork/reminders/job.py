"""The daily job: in every tenant, each assembly whose next reminder's day has come gets it (``series``), with its
stored status moved to the day's, in one transaction per assembly with the audit entry and the
``fieldwork.assembly.due_soon`` or ``.overdue`` event (whose consumer emails the customer).

No scan: one Query of the reminders index up to today finds them, and one BatchGetItem per page reads them. Each
reminder is sent once whatever runs: the transaction writes the assembly at the version read and moves its index
entry past today (or deletes it after the last reminder), so a second run, or a run beside this one, finds nothing
to send or fails on the changed version and leaves it; a run that stopped halfway left the rest in the index.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import AssemblyChanged, Reminder
from atrium.apps.fieldwork.assemblies.service import name_of
from atrium.apps.fieldwork.events import ASSEMBLY_DUE_SOON, ASSEMBLY_OVERDUE
from atrium.apps.fieldwork.reminders import series
from atrium.apps.fieldwork.reminders.models import REMINDERS, ReminderItem
from atrium.apps.fieldwork.tenants import across_tenants
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork

REMINDER_JOB = Ref(type="service", id="fieldwork.remind_due_assemblies", name="due-date reminders")
BATCH = 100  # BatchGetItem's most keys


def remind_due_assemblies(_at: datetime) -> dict[str, Any]:
    """Every tenant's reminders due by today (UTC)."""
    today = clock.now().date()
    visited, reminded = across_tenants(lambda tenant_id: remind_tenant(tenant_id, today))
    return {"tenants": visited, "reminders": reminded}


def remind_tenant(tenant_id: str, today: dt.date) -> int:
    """The tenant's reminders whose day is today or before: how many were sent."""
    entries = ReminderItem.gsi1.query(keys.collection_pk(tenant_id, REMINDERS),
                                      ReminderItem.gsi1sk < f"{today.isoformat()}$", page_size=BATCH)
    sent = 0
    for batch in _batches((entry for entry in entries if isinstance(entry, ReminderItem)), BATCH):
        found = Item.batch_get([(entry.pk, keys.ENTITY_SK) for entry in batch], consistent_read=True)
        assemblies = {item.id: item for item in found if isinstance(item, AssemblyItem)}
        for entry in batch:
            assembly = assemblies.get(entry.assembly_id)
            if assembly is not None and remind(assembly, entry, today):
                sent += 1
    return sent


def _batches(entries: Iterable[ReminderItem], size: int) -> Iterator[list[ReminderItem]]:
    iterator = iter(entries)
    while batch := list(islice(iterator, size)):
        yield batch


def remind(assembly: AssemblyItem, entry: ReminderItem, today: dt.date) -> bool:
    """Send the assembly its reminder due today, if it still has one: the index may lag a test signed meanwhile."""
    reminder = series.reminder_due(assembly, today)
    if reminder is None:
        return False
    assembly.last_reminder = reminder.value
    uow = UnitOfWork(assembly.tenant_id, REMINDER_JOB)
    series.move(uow, assembly, entry, today)
    event = ASSEMBLY_OVERDUE if reminder is Reminder.OVERDUE else ASSEMBLY_DUE_SOON
    try:
        records.commit(uow, assembly, "updated", event, name_of(assembly), AssemblyChanged)
    except (PreconditionFailed, Conflict):  # changed since read (a test signed, another run): the next run sees it
        return False
    return True
