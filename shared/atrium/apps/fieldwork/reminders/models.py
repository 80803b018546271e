"""The next reminder of an assembly's due date, as an index entry: an item in the assembly's partition, on gsi1
under ``T#<tenant>#AssemblyReminders`` ordered by the day it is sent, so the daily job's Query of the days up to
today finds exactly the assemblies with a reminder (and a status) to move, however long overdue the others are. It
is rewritten in every transaction that moves the assembly's due date or its last reminder, and deleted with the
assembly or after the last reminder."""

from typing import Any

from pynamodb.attributes import UnicodeAttribute

from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

REMINDERS = "AssemblyReminders"


class ReminderItem(Item, discriminator="AssemblyReminder"):
    tenant_id = UnicodeAttribute()
    assembly_id = UnicodeAttribute()
    on = UnicodeAttribute()  # YYYY-MM-DD: the day it is sent

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, AssemblyItem.type_name(), self.assembly_id)
        self.sk = "Reminder"
        self.gsi1pk = keys.collection_pk(self.tenant_id, REMINDERS)
        self.gsi1sk = f"{self.on}#{self.assembly_id}"

    @classmethod
    def of(cls, assembly: AssemblyItem, **attributes: Any) -> "ReminderItem":
        """The entry of ``assembly`` (its keys; ``attributes`` to write it)."""
        return cls(tenant_id=assembly.tenant_id, assembly_id=assembly.id, **attributes)

    @classmethod
    def key_of(cls, tenant_id: str, assembly_id: str) -> tuple[str, str]:
        """The (pk, sk) of the assembly's entry, to read it."""
        probe = cls(tenant_id=tenant_id, assembly_id=assembly_id)
        probe.assign_keys()
        return probe.pk, probe.sk
