"""Metered usage reported to Stripe's meters: every hour a task per tenant that used a reported meter in the window
(``queue_reports``); the task (``report_usage``) sends, for each day of the window, what was counted since the
day's last report, as one Stripe meter event per day and meter (``watermarks``).

Never lost, never doubled: the events are decided (with their identifiers) and saved as pending in the tenant's
watermark before any is sent, and marked sent only once Stripe has them all. A run that fails in between (Stripe
unreachable, an answer lost, the process killed, the watermark's write lost) leaves them pending, and the next run
(the task retried, or the next hour's) sends the same events again: Stripe refuses those it has by their
identifier. Two runs at once decide the same events and the second to save fails on the watermark's version.
Stripe keeps identifiers at least 24 hours: an event pending longer (Stripe unreachable for a day, the task left
in its DLQ) may be counted twice if its first attempt reached Stripe, which the daily reconciliation shows.
"""

from datetime import UTC, date, datetime
from typing import Any

from atrium.billing.metering import counters, stripe_meters, watermarks
from atrium.billing.metering.counters import Granularity
from atrium.billing.metering.meters import REPORTED_METERS, Meter
from atrium.billing.metering.platform_usage import month_of, tenants_using
from atrium.billing.stripe.models import StripeCustomerItem
from atrium.kernel import clock, tasks
from atrium.kernel.errors import NotFound
from atrium.kernel.observability import logger
from atrium.kernel.tenancy import tenant_scope

# The consumer that reports a tenant's usage (its source is Tasks): tasks are sent to its queue by this name.
REPORT_TASK = "billing.report_usage"


def queue_reports(at: datetime) -> dict[str, Any]:
    """The schedule: a report task for each tenant that used a reported meter in the window's months."""
    months = sorted({month_of(day) for day in watermarks.window(at.astimezone(UTC).date())})
    tenant_ids = sorted({tenant_id for meter in REPORTED_METERS for month in months
                         for tenant_id in tenants_using(meter, month)})
    if tenant_ids:
        tasks.send(REPORT_TASK, [tasks.Task({"tenant_id": tenant_id}, key=f"{REPORT_TASK}:{tenant_id}")
                                 for tenant_id in tenant_ids])
    return {"tenants": len(tenant_ids)}


def report_usage(bodies: list[dict[str, Any]]) -> set[int]:
    """The task: each tenant's reported meters, in turn; a tenant that fails is retried (its position)."""
    failed = set()
    for position, body in enumerate(bodies):
        tenant_id = body["tenant_id"]
        try:
            with tenant_scope(tenant_id):
                sent = report_tenant(tenant_id)
        except Exception:
            logger.exception("metered usage not reported; the task is retried", extra={"tenant_id": tenant_id})
            failed.add(position)
            continue
        if sent:
            logger.info("metered usage reported", extra={"tenant_id": tenant_id, "units": sent})
    return failed


def report_tenant(tenant_id: str) -> int:
    """Report the tenant's reported meters, if it has a Stripe customer: how many units Stripe was sent."""
    try:
        customer = StripeCustomerItem.load(tenant_id, tenant_id)
    except NotFound:
        return 0  # never billed through Stripe
    return sum(report_meter(tenant_id, meter, customer) for meter in REPORTED_METERS)


def report_meter(tenant_id: str, meter: Meter, customer: StripeCustomerItem) -> int:
    now = clock.now()
    mark = watermarks.load(tenant_id, meter) or watermarks.MeterReportItem(
        tenant_id=tenant_id, id=meter.value, customer_id=customer.customer_id,
        since=customer.created_at.astimezone(UTC).date().isoformat())
    if not mark.pending:  # else what an earlier run decided, and may have sent, goes first, unchanged
        mark.pending = watermarks.due(mark, _counted(tenant_id, meter, mark, now), now)
        if not mark.pending:
            return 0
        mark.save()  # versioned: a run that decided first wins, this one fails and is retried
    assert meter.stripe_event_name is not None
    for report in mark.pending:
        stripe_meters.send_meter_event(meter.stripe_event_name, mark.customer_id, identifier=report.identifier,
                                       value=int(report.value), timestamp=int(report.timestamp))
    sent = sum(int(report.value) for report in mark.pending)
    watermarks.mark_sent(mark, now.astimezone(UTC).date())
    mark.save()
    return sent


def _counted(tenant_id: str, meter: Meter, mark: watermarks.MeterReportItem, now: datetime) -> dict[date, int]:
    """The window's day counters: one Query."""
    days = watermarks.window(now.astimezone(UTC).date(), date.fromisoformat(mark.since))
    if not days:
        return {}
    starts = [watermarks.start_of(day) for day in days]
    found = counters.series(tenant_id, meter, Granularity.DAY, starts[0], starts[-1] + Granularity.DAY.step)
    return {day: found.get(Granularity.DAY.bucket(start), 0) for day, start in zip(days, starts, strict=True)}
