"""Metered usage at Stripe: meter events sent (``billing.MeterEvent``, with an ``identifier`` that makes sending one
again harmless), the meters' ids by event name, and Stripe's sum of a customer's events over a time range.

Stripe refuses a meter event whose identifier it has seen (in the last 24 hours at least) with "An event already
exists with identifier ...": the event was recorded by an earlier attempt whose answer was lost, so it counts as
sent. The SDK loads when first called, as for the other Stripe calls (``billing.stripe.client``)."""

from datetime import datetime

from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.kernel.observability import logger

_RECORDED_BEFORE = "already exists with identifier"


def send_meter_event(event_name: str, customer_id: str, *, identifier: str, value: int, timestamp: int) -> bool:
    """Record ``value`` for the customer at ``timestamp`` (epoch seconds): False when Stripe had it already."""
    import stripe

    with calling_stripe("report metered usage"):
        try:
            stripe_client().v1.billing.meter_events.create(params={
                "event_name": event_name, "identifier": identifier, "timestamp": timestamp,
                "payload": {"stripe_customer_id": customer_id, "value": str(value)}})
        except stripe.InvalidRequestError as error:
            if _RECORDED_BEFORE not in (error.user_message or ""):
                raise
            logger.info("meter event recorded before", extra={"identifier": identifier})
            return False
    return True


def meter_ids() -> dict[str, str]:
    """The active Stripe meters' ids by event name: one Stripe call per 100 meters."""
    with calling_stripe("list the billing meters"):
        meters = stripe_client().v1.billing.meters.list(params={"status": "active", "limit": 100})
        return {meter.event_name: meter.id for meter in meters.auto_paging_iter()}


def usage_at_stripe(meter_id: str, customer_id: str, start: datetime, end: datetime) -> int:
    """What Stripe aggregated of the customer's events on the meter from ``start`` to ``end`` (excluded; whole
    minutes): one Stripe call, answered with one summary of the range."""
    with calling_stripe("read the metered usage"):
        summaries = stripe_client().v1.billing.meters.event_summaries.list(meter_id, params={
            "customer": customer_id, "start_time": int(start.timestamp()), "end_time": int(end.timestamp())})
    return round(sum(summary.aggregated_value for summary in summaries.data))
