"""Water district items."""

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from atrium.kernel.store.models import TenantEntity


class DistrictItem(TenantEntity, discriminator="District"):
    name = UnicodeAttribute()
    submission_email = UnicodeAttribute()
    form_fields = ListAttribute[str]()  # what its report form shows, in order
    submission_deadline_days = NumberAttribute()
    test_interval_months = NumberAttribute()
    assembly_count = NumberAttribute(default=0)
