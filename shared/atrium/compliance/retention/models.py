"""A tenant's retention choices: one item, ``days`` by rule name; a rule it never chose keeps its default."""

from pynamodb.attributes import JSONAttribute

from atrium.kernel.store.models import TenantEntity

SETTINGS_ID = "retention"


class RetentionSettingsItem(TenantEntity, discriminator="RetentionSettings"):
    days = JSONAttribute(default=dict)
