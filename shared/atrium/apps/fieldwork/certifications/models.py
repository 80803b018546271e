"""Certification items: each its own entity, also on its tester's gsi2 collection (a tester's certifications are one
Query)."""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity

TESTER_CERTIFICATIONS = "TesterCertifications"


class CertificationItem(TenantEntity, discriminator="Certification"):
    user_id = UnicodeAttribute()  # the tester's
    number = UnicodeAttribute()
    certifying_body = UnicodeAttribute()
    expires_on = UnicodeAttribute()  # ISO YYYY-MM-DD: valid through that day

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, TESTER_CERTIFICATIONS, self.user_id)
        self.gsi2sk = self.id
