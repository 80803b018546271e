"""A tenant's privacy settings (one item), and the counts of personal data found in its free text: one item per
month, field and kind (``T#<tenant>#PiiTally#<YYYY-MM>``, sort key ``<Type>.<attribute>:<kind>``), so a month's
report is one Query and a write adds to its counts without reading them. No found value is kept."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity

SETTINGS_ID = "settings"
TALLY = "PiiTally"


class PrivacySettingsItem(TenantEntity, discriminator="PrivacySettings"):
    pii_mode = UnicodeAttribute()
    phone_region = UnicodeAttribute()


class PiiTallyItem(Item, discriminator=TALLY):
    tenant_id = UnicodeAttribute()
    month = UnicodeAttribute()  # YYYY-MM, UTC
    field = UnicodeAttribute()  # <Type>.<attribute>
    kind = UnicodeAttribute()
    flagged = NumberAttribute(default=0)
    redacted = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = month_pk(self.tenant_id, self.month)
        self.sk = f"{self.field}:{self.kind}"


def month_pk(tenant_id: str, month: str) -> str:
    return keys.entity_pk(tenant_id, TALLY, month)
