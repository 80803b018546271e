"""The month's counts of personal data found in the tenant's free text, by kind and by field."""

from atrium.compliance.privacy import tally
from atrium.compliance.privacy.models import PiiTallyItem
from atrium.compliance.privacy.schemas import PiiCounts, PiiReport


def _add(counts: PiiCounts, item: PiiTallyItem) -> None:
    counts.flagged += int(item.flagged)
    counts.redacted += int(item.redacted)


def pii_report(tenant_id: str, month: str) -> PiiReport:
    report = PiiReport(month=month, total=PiiCounts(), by_kind={}, by_field={})
    for item in tally.month_tallies(tenant_id, month):
        _add(report.total, item)
        _add(report.by_kind.setdefault(item.kind, PiiCounts()), item)
        _add(report.by_field.setdefault(item.field, PiiCounts()), item)
    return report
