"""Assembly items: each its own entity. On gsi1 the tenant's assemblies are ordered by next due date (untested ones
last), so the due and overdue lists are one Query each; on gsi2 they are in their customer's collection ordered by
site, so a customer's assemblies, and a site's (a prefix of them), are one Query too. A new due date changes the
keys in the write that sets it. Its serial is held unique on its site by a guard item
(``Unique#assembly_serial#<site>:<SERIAL>``)."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from atrium.apps.fieldwork.assemblies.schemas import DueStatus
from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity

CUSTOMER_ASSEMBLIES = "CustomerAssemblies"
SERIAL_FIELD = "assembly_serial"
NO_DUE_DATE = "~"  # sorts after every date


class AssemblyItem(TenantEntity, discriminator="Assembly"):
    site_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()  # the site's, kept so a customer's records are found without the site
    district_id = UnicodeAttribute()
    type = UnicodeAttribute()
    make = UnicodeAttribute()
    model = UnicodeAttribute()
    serial = UnicodeAttribute()
    size_inches = NumberAttribute()
    location = UnicodeAttribute(default="")
    hazard = UnicodeAttribute()
    install_date = UnicodeAttribute(null=True)  # dates are ISO YYYY-MM-DD
    last_test_date = UnicodeAttribute(null=True)  # of the last passed test
    next_due_date = UnicodeAttribute(null=True)
    # As of its last write: the daily job moves it the day it changes; a read computes it for its own day.
    status = UnicodeAttribute(default=DueStatus.UNTESTED.value)
    last_reminder = UnicodeAttribute(null=True)  # of next_due_date (a Reminder); a new due date clears it
    report_count = NumberAttribute(default=0)
    last_report_id = UnicodeAttribute(null=True)  # its last signed report (not shown): what the field sync sends

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, CUSTOMER_ASSEMBLIES, self.customer_id)
        self.gsi2sk = f"{self.site_id}#{self.id}"

    def collection_sort_key(self) -> str:
        return f"{self.next_due_date or NO_DUE_DATE}#{self.id}"

    def serial_key(self) -> str:
        """What the guard holds: serials are compared without case, on the assembly's site."""
        return f"{self.site_id}:{self.serial.upper()}"
