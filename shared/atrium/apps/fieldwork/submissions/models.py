"""Submission items, and the entries of a district's queue of signed reports.

A queue entry is a child of its report (the report's partition, sk ``QueuedReport``) on gsi1 under its district's
queue, sorted by test day, carrying the report as the API shows it (a signed report does not change), so a page of
the queue is one Query. Signing writes it; a submission taking the report deletes it; a rejection writes it again.
"""

from pynamodb.attributes import JSONAttribute, ListAttribute, UnicodeAttribute

from atrium.apps.fieldwork.reports.models import ReportItem
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity

DISTRICT_QUEUE = "DistrictQueue"
DISTRICT_SUBMISSIONS = "DistrictSubmissions"
PREPARING, SENT, ACCEPTED, REJECTED = "preparing", "sent", "accepted", "rejected"


class QueuedReportItem(Item, discriminator="QueuedReport"):
    tenant_id = UnicodeAttribute()
    report_id = UnicodeAttribute()
    district_id = UnicodeAttribute()
    tested_on = UnicodeAttribute()  # ISO YYYY-MM-DD
    report = JSONAttribute()  # ReportChanged, as it was queued

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, ReportItem.type_name(), self.report_id)
        self.sk = self.type_name()
        self.gsi1pk = queue_pk(self.tenant_id, self.district_id)
        self.gsi1sk = f"{self.tested_on}#{self.report_id}"


def queue_pk(tenant_id: str, district_id: str) -> str:
    return keys.bucketed_collection_pk(tenant_id, DISTRICT_QUEUE, district_id)


class SubmissionItem(TenantEntity, discriminator="DistrictSubmission"):
    """Also on its district's gsi2 collection (a district's submissions are one Query, newest first)."""

    district_id = UnicodeAttribute()
    status = UnicodeAttribute(default=PREPARING)
    report_ids = ListAttribute[str]()  # oldest test first
    created_by = UnicodeAttribute()
    job_id = UnicodeAttribute()
    # What the job did so far, so a retried job does each step once: the files it stored ([{name, report_id, key,
    # content_type, size, sha256}]), then the email it sent.
    files = JSONAttribute(default=list)
    sent_to = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    sent_at = UnicodeAttribute(null=True)  # ISO-8601 UTC, as are the others
    answered_at = UnicodeAttribute(null=True)
    answered_by = UnicodeAttribute(null=True)
    answer_note = UnicodeAttribute(null=True)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, DISTRICT_SUBMISSIONS, self.district_id)
        self.gsi2sk = self.id
