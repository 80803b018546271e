"""Customer and site items. A site is its own entity (``T#<tenant>#Site#<id>``) and also on its customer's gsi2
collection, so a customer's sites are one Query. Names, contacts, addresses and notes are personal: stored
encrypted (kernel/store/field_encryption.py); notes are free text, screened for personal data as they are written
(docs/compliance.md)."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute

from atrium.compliance.api import free_text
from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.protection import personal

CUSTOMER_SITES = "CustomerSites"


class CustomerItem(TenantEntity, discriminator="Customer"):
    name = personal(UnicodeAttribute())
    billing_contact = personal(JSONAttribute())  # {name, email, phone}
    service_address = personal(JSONAttribute())  # {line1, line2, city, region, postal_code}
    notes = free_text(UnicodeAttribute(default=""))
    site_count = NumberAttribute(default=0)
    work_order_count = NumberAttribute(default=0)  # kept so a customer with work orders is not deleted


class SiteItem(TenantEntity, discriminator="Site"):
    customer_id = UnicodeAttribute()
    name = UnicodeAttribute()
    address = personal(JSONAttribute())
    access_notes = free_text(UnicodeAttribute(default=""))
    assembly_count = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, CUSTOMER_SITES, self.customer_id)
        self.gsi2sk = self.id
