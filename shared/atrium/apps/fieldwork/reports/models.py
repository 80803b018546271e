"""Test report items: each its own entity, also on its assembly's gsi2 collection (an assembly's reports are one
Query, oldest first)."""

from pynamodb.attributes import JSONAttribute, ListAttribute, UnicodeAttribute

from atrium.compliance.api import free_text
from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity

ASSEMBLY_REPORTS = "AssemblyReports"
DRAFT, SIGNED = "draft", "signed"


class ReportItem(TenantEntity, discriminator="TestReport"):
    assembly_id = UnicodeAttribute()
    # The assembly's site and customer: its keys, to count its reports without reading it (and whose report it is).
    site_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    assembly_type = UnicodeAttribute()  # the assembly's when the report was made: which readings it takes
    district_id = UnicodeAttribute()  # the assembly's: the interval a passed test sets the next due date by
    tester_id = UnicodeAttribute()
    gauge_id = UnicodeAttribute()
    tested_on = UnicodeAttribute()  # ISO YYYY-MM-DD
    readings = JSONAttribute()  # the first test's
    initial_result = UnicodeAttribute(null=True)  # the first test's (null on reports from before retests)
    initial_failures = ListAttribute[str](default=list)
    repairs = JSONAttribute(default=list)  # what was repaired or replaced after a failed first test
    retest_readings = JSONAttribute(null=True)  # the test after the repairs, on the same visit
    result = UnicodeAttribute()  # what counts: the retest's, when there is one
    failures = ListAttribute[str](default=list)
    notes = free_text(UnicodeAttribute(default=""))
    status = UnicodeAttribute(default=DRAFT)
    amends = UnicodeAttribute(null=True)
    certification_id = UnicodeAttribute(null=True)
    signed_at = UnicodeAttribute(null=True)  # ISO-8601 UTC
    submission_id = UnicodeAttribute(null=True)  # the district submission that last sent it
    submitted_at = UnicodeAttribute(null=True)  # ISO-8601 UTC

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, ASSEMBLY_REPORTS, self.assembly_id)
        self.gsi2sk = self.id
