"""Usage from the counters: each metered event counted once (the consumer), the plan limits metering counts
(the subscription view, the services' 402 gates), the tenant's usage series and the platform's usage per tenant
(the operator console)."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache

from atrium import manifest
from atrium.billing.entitlements.gates import require_room
from atrium.billing.metering import counters, platform_usage
from atrium.billing.metering.counters import Granularity
from atrium.billing.metering.meters import METER_LIMITS, Meter, MeteredEvent
from atrium.billing.metering.schemas import PlatformUsageOut, PlatformUsagePage, UsagePoint, UsageSeries
from atrium.billing.plans.catalog import Limit
from atrium.kernel import clock
from atrium.kernel.errors import Unprocessable
from atrium.kernel.events.envelope import Envelope

# The longest series one request returns (one Query of at most this many counters).
MAX_RANGE = {Granularity.DAY: timedelta(days=366), Granularity.HOUR: timedelta(days=31)}
# Times a series may start at (far from the ends of what a datetime holds).
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC)


@cache
def _metered() -> dict[str, tuple[MeteredEvent, ...]]:
    by_type: dict[str, list[MeteredEvent]] = {}
    for metered in manifest.metered_events():
        by_type.setdefault(metered.event_type, []).append(metered)
    return {event_type: tuple(found) for event_type, found in by_type.items()}


def metered_types() -> tuple[str, ...]:
    return tuple(sorted(_metered()))


def count_event(event: Envelope) -> None:
    """The consumer ``billing.count_usage``: add what the event counts to its meters, once per event id."""
    quantities: Counter[Meter] = Counter()
    for metered in _metered().get(event.type, ()):
        quantities[metered.meter] += metered.quantity(event)
    if quantities:
        counters.count(event, dict(quantities))


def usage_of(tenant_id: str, limit: Limit) -> int:
    """What the tenant used of a metered limit: this calendar month's total (UTC) for a monthly limit, else the
    running total."""
    meter = METER_LIMITS[limit]
    if limit.period == "month":
        return counters.month_total(tenant_id, meter, clock.now().date())
    return counters.running_total(tenant_id, meter)


def require_metered_room(tenant_id: str, limit: Limit, *, requested: int | None = None) -> None:
    """402 when the counted usage of ``limit`` has reached the plan's, or would pass it with ``requested`` more
    (the bytes of an upload); read only when the plan sets a limit."""
    require_room(tenant_id, limit, usage=lambda: usage_of(tenant_id, limit), requested=requested)


def usage_series(tenant_id: str, meter: Meter, granularity: Granularity, start: datetime,
                 end: datetime) -> UsageSeries:
    """Each day or hour from ``start`` (floored to it) up to ``end`` (excluded), zeros included: one Query."""
    if not EARLIEST <= start < LATEST:
        raise _bad_range("from", f"must be from {EARLIEST.year} to {LATEST.year}")
    if end <= start:
        raise _bad_range("to", "must be after from")
    if end - start > MAX_RANGE[granularity]:
        raise _bad_range("to", f"a {granularity.value} series spans at most {MAX_RANGE[granularity].days} days")
    start, end = granularity.floor(start), granularity.floor(end - timedelta(microseconds=1)) + granularity.step
    found = counters.series(tenant_id, meter, granularity, start, end)
    points, at = [], start
    while at < end:
        points.append(UsagePoint(start=clock.iso(at), quantity=found.get(granularity.bucket(at), 0)))
        at += granularity.step
    return UsageSeries(meter=meter, granularity=granularity, start=clock.iso(start), end=clock.iso(end),
                       total=sum(point.quantity for point in points), data=points)


def platform_usage_page(meter: Meter, month: str, *, limit: int, cursor: str | None) -> PlatformUsagePage:
    """Each tenant's usage of ``meter`` in ``month`` (``YYYY-MM``), a page in tenant id order: one Query."""
    found = platform_usage.page(meter, month, limit=limit, cursor=cursor)
    return PlatformUsagePage(data=[PlatformUsageOut(tenant_id=item.tenant_id, quantity=int(item.quantity))
                                   for item in found.items], next_cursor=found.next_cursor)


def _bad_range(field: str, message: str) -> Unprocessable:
    return Unprocessable("the usage range is not valid",
                         errors=[{"field": f"query.{field}", "message": message, "code": "invalid_range"}])
