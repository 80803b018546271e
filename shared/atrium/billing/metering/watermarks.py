"""What of a meter has been reported to Stripe for a tenant, and what is due: one item per tenant and reported
meter, ``T#<tenant>#MeterReport#<meter>``.

Usage is reported per UTC day: for each day of the window, one meter event carries what was counted on that day
since the day's last report, timestamped within the day, so Stripe's sum of a day is Atrium's count of it. The
window is the last ``WINDOW_DAYS`` days (Stripe takes events up to 35 days old), from the day the tenant's Stripe
customer was created (``since``): usage before it is not billed. An event counted late (a redelivery) is reported
with its day, as long as the day is in the window.

``pending`` holds the meter events decided on and not yet known to be at Stripe. Each has an identifier made of the
tenant, the meter, the day and the day's total once it is recorded, so it names one amount and is never reused.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pynamodb.attributes import JSONAttribute, ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from atrium.billing.metering.meters import Meter
from atrium.kernel.errors import NotFound
from atrium.kernel.store.models import TenantEntity

# The days reported: the oldest day's event (timestamped at its end) is under 34 days old when sent.
WINDOW_DAYS = 34


class PendingReport(MapAttribute[str, object]):
    """A meter event decided on: ``value`` more on ``day``, which makes the day's reported total ``total``."""

    identifier = UnicodeAttribute()
    day = UnicodeAttribute()  # YYYY-MM-DD (UTC)
    value = NumberAttribute()
    total = NumberAttribute()
    timestamp = NumberAttribute()  # epoch seconds, within the day


class MeterReportItem(TenantEntity, discriminator="MeterReport"):
    """``id`` is the meter."""

    customer_id = UnicodeAttribute()  # the Stripe customer reported to
    since = UnicodeAttribute()  # the first day reported (YYYY-MM-DD)
    reported = JSONAttribute(default=dict)  # day -> the quantity Stripe has for it, over the window
    pending = ListAttribute(of=PendingReport, default=list)


def load(tenant_id: str, meter: Meter) -> MeterReportItem | None:
    """The tenant's watermark of ``meter`` (a consistent GetItem), if anything was ever decided."""
    try:
        return MeterReportItem.load(tenant_id, meter.value, consistent=True)
    except NotFound:
        return None


def window(today: date, since: date | None = None) -> list[date]:
    """The days reported on ``today``, oldest first."""
    first = today - timedelta(days=WINDOW_DAYS - 1)
    first = max(first, since) if since else first
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def due(mark: MeterReportItem, counted: dict[date, int], now: datetime) -> list[PendingReport]:
    """A meter event for each day of the window counted beyond what Stripe has of it."""
    reported: dict[str, Any] = mark.reported
    found = []
    for day in window(now.astimezone(UTC).date(), date.fromisoformat(mark.since)):
        total, sent = counted.get(day, 0), int(reported.get(day.isoformat(), 0))
        if total > sent:
            end = start_of(day + timedelta(days=1))
            found.append(PendingReport(  # type: ignore[no-untyped-call]
                identifier=f"{mark.tenant_id}:{mark.id}:{day.isoformat()}:{total}", day=day.isoformat(),
                value=total - sent, total=total, timestamp=int(min(now, end - timedelta(seconds=1)).timestamp())))
    return found


def mark_sent(mark: MeterReportItem, today: date) -> None:
    """The pending events are at Stripe: their days' totals become the reported ones (those of days past the window
    are dropped)."""
    reported: dict[str, Any] = mark.reported
    reported.update({report.day: int(report.total) for report in mark.pending})
    oldest = window(today)[0].isoformat()
    mark.reported = {day: total for day, total in sorted(reported.items()) if day >= oldest}
    mark.pending = []
