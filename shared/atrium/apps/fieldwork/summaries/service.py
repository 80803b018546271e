"""A month's summary, read as one Query of its partition (the tallies, and the summary once sent) and, until the
month's summary is sent, one COUNT Query of the assemblies past their due date now."""

from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.summaries.models import MoneyTallyItem, SentSummaryItem, TallyItem, month_pk
from atrium.apps.fieldwork.summaries.schemas import MonthlySummary, SentSummary, TypeTally
from atrium.kernel import clock, files
from atrium.kernel.errors import Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item


def _rate(passed: int, tests: int) -> float | None:
    return round(passed / tests, 4) if tests else None


def overdue_now(tenant_id: str) -> int:
    """Assemblies due before today (the overdue list's key range), counted by DynamoDB: no item is returned."""
    collection = keys.collection_pk(tenant_id, AssemblyItem.type_name())
    return AssemblyItem.gsi1.count(collection, AssemblyItem.gsi1sk < clock.now().date().isoformat())


def _sent(summary: SentSummaryItem | None) -> SentSummary | None:
    if summary is None or summary.sent_at is None or summary.pdf is None:
        return None
    return SentSummary(sent_at=summary.sent_at, sent_to=list(summary.sent_to), pdf_sha256=summary.pdf["sha256"],
                       pdf_url=files.download_url(summary.pdf["key"], filename=f"summary-{summary.month}.pdf"))


def monthly_summary(tenant_id: str, month: str) -> MonthlySummary:
    """422 for a month that has not begun."""
    if month > clock.now().strftime("%Y-%m"):
        raise Unprocessable(f"{month} has not begun", errors=[
            {"field": "query.month", "code": "future_month", "message": "a month that has begun"}])
    items = list(Item.query(month_pk(tenant_id, month)))
    tallies = sorted((item for item in items if isinstance(item, TallyItem)), key=lambda t: t.assembly_type)
    summary = next((item for item in items if isinstance(item, SentSummaryItem)), None)
    money = next((item for item in items if isinstance(item, MoneyTallyItem)), None)
    by_type = [TypeTally(assembly_type=t.assembly_type, tests=int(t.tests), passed=int(t.passed),
                         passed_first_time=int(t.passed_first_time), pass_rate=_rate(int(t.passed), int(t.tests)))
               for t in tallies]
    tests, passed = sum(t.tests for t in by_type), sum(t.passed for t in by_type)
    overdue, counted_at = ((int(summary.overdue_assemblies), clock.iso(summary.created_at)) if summary
                           else (overdue_now(tenant_id), clock.iso(clock.now())))
    return MonthlySummary(month=month, tests=tests, passed=passed, pass_rate=_rate(passed, tests), by_type=by_type,
                          invoiced_cents=int(money.invoiced_cents) if money else 0,
                          collected_cents=int(money.collected_cents) if money else 0, overdue_assemblies=overdue,
                          overdue_counted_at=counted_at, sent=_sent(summary))
