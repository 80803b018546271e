"""A tenant's privacy settings (one item), and the counts of personal data found in its free text: one item per
month, field and kind (``T#<tenant>#PiiTally#<YYYY-MM>``, sort key ``<Type>.<attribute>:<kind>``), so a month's
report is one Query and a write adds to its counts without reading them. No found value is kept. Besides, the
personal-data exports and erasures a tenant requested."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import personal

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


class PrivacyExportItem(TenantEntity, discriminator="PrivacyExport"):
    """Whose personal data a job exports (``id``: the job's): the subject stays out of the job's parameters, so
    erasing the subject erases it here."""

    subject_user_id = UnicodeAttribute(null=True)
    subject_email = personal(UnicodeAttribute(null=True))


class ErasureItem(TenantEntity, discriminator="PrivacyErasure"):
    """A requested erasure: ``pending`` until ``due_at`` (it can be canceled meanwhile), then ``completed`` (what
    each provider erased in ``erased``) or ``failed`` (``error``: a rule refused it). Once completed, the subject's
    email reads as erased here too."""

    subject_user_id = UnicodeAttribute(null=True)
    subject_email = personal(UnicodeAttribute(null=True))
    status = UnicodeAttribute(default="pending")
    due_at = UTCDateTimeAttribute()
    requested_by = UnicodeAttribute()
    canceled_at = UTCDateTimeAttribute(null=True)
    completed_at = UTCDateTimeAttribute(null=True)
    erased = JSONAttribute(null=True)
    error = UnicodeAttribute(null=True)
