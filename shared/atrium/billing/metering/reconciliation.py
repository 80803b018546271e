"""The daily reconciliation of metered usage: for the last UTC day that ended at least ``SETTLE`` before the run,
each tenant's count of each reported meter against Stripe's sum of the tenant's meter events of that day.

A tenant with a difference is logged (``metered usage drift``: counted, reported, pending, at Stripe) and counted
in the metric ``UsageDrift``, which the job puts every run (0 when none drift) and its alarm watches. Runs are a
day apart, so each day is reconciled once. Which tenants: those that used the meter in the day's month (the
platform's usage) and whose usage of that day is reported (a watermark, its Stripe customer made by then).
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from atrium.billing.metering import counters, stripe_meters, watermarks
from atrium.billing.metering.meters import REPORTED_METERS, Meter
from atrium.billing.metering.platform_usage import month_of, tenants_using
from atrium.kernel.observability import logger, metrics
from atrium.kernel.tenancy import tenant_scope

# Past a day's end, the hourly reports have sent its last counts, and Stripe has summed them (within minutes).
SETTLE = timedelta(hours=3)
DRIFT_METRIC = "UsageDrift"


def reconcile_usage(at: datetime) -> dict[str, Any]:
    """The schedule: every reported meter of every tenant, for the day before ``at`` less ``SETTLE``."""
    day = (at - SETTLE).astimezone(UTC).date() - timedelta(days=1)
    meter_ids = stripe_meters.meter_ids()
    checked = drifted = 0
    for meter in REPORTED_METERS:
        meter_id = meter_ids.get(str(meter.stripe_event_name))
        if meter_id is None:
            raise LookupError(f"Stripe has no active meter for the event name {meter.stripe_event_name!r}")
        for tenant_id in tenants_using(meter, month_of(day)):
            with tenant_scope(tenant_id):
                drift = reconcile_tenant(tenant_id, meter, meter_id, day)
            checked += drift is not None
            drifted += bool(drift)
    metrics.add_metric(DRIFT_METRIC, MetricUnit.Count, drifted)
    return {"day": day.isoformat(), "checked": checked, "drifted": drifted}


def reconcile_tenant(tenant_id: str, meter: Meter, meter_id: str, day: date) -> int | None:
    """Stripe's sum of the day less Atrium's count of it; None when the day was not reported (no customer then)."""
    mark = watermarks.load(tenant_id, meter)
    if mark is None or day.isoformat() < mark.since:
        return None
    counted = counters.day_total(tenant_id, meter, day)
    start = watermarks.start_of(day)
    at_stripe = stripe_meters.usage_at_stripe(meter_id, mark.customer_id, start, start + timedelta(days=1))
    if at_stripe != counted:
        reported: dict[str, Any] = mark.reported
        logger.warning("metered usage drift", extra={
            "tenant_id": tenant_id, "meter": meter.value, "day": day.isoformat(), "counted": counted,
            "reported": reported.get(day.isoformat(), 0), "pending": sum(int(r.value) for r in mark.pending),
            "at_stripe": at_stripe, "drift": at_stripe - counted})
    return at_stripe - counted
