"""Assembly items: each its own entity, also on its site's gsi2 collection (a site's assemblies are one Query). Its
serial is held unique on its site by a guard item (``Unique#assembly_serial#<site>:<SERIAL>``)."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity

SITE_ASSEMBLIES = "SiteAssemblies"
SERIAL_FIELD = "assembly_serial"


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
    report_count = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, SITE_ASSEMBLIES, self.site_id)
        self.gsi2sk = self.id

    def serial_key(self) -> str:
        """What the guard holds: serials are compared without case, on the assembly's site."""
        return f"{self.site_id}:{self.serial.upper()}"
