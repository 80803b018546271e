"""Stripe Billing's meters in the fake: one active meter per meter Atrium reports (its declared event name), the
meter events recorded, and their sums over a time range (event summaries).

As at Stripe, an ``identifier`` is taken once in 24 hours: a second event with it is refused ("An event already
exists with identifier ..."), so a resend after a lost answer counts nothing. Unlike Stripe, which checks an
event's meter and customer after answering, the fake refuses an unknown event name or customer at once.
``record`` adds usage as something other than Atrium would (a test's drift).
"""

import secrets
from dataclasses import dataclass, field
from typing import Any

from atrium.billing.api import Meter
from atrium.kernel import clock
from atrium_local.stripe_fake.account import Account, Object, StripeError, missing

IDENTIFIER_SECONDS = 24 * 3600  # how long Stripe holds an identifier (at least)
OLDEST_SECONDS, NEWEST_SECONDS = 35 * 24 * 3600, 5 * 60  # an event's timestamp, before and after now


def _meter(event_name: str) -> Object:
    return {"id": f"mtr_{event_name}", "object": "billing.meter", "created": 0, "updated": 0, "livemode": False,
            "display_name": event_name.replace("_", " ").capitalize(), "event_name": event_name,
            "status": "active", "status_transitions": {"deactivated_at": None}, "event_time_window": None,
            "default_aggregation": {"formula": "sum"},
            "customer_mapping": {"event_payload_key": "stripe_customer_id", "type": "by_id"},
            "value_settings": {"event_payload_key": "value"}}


def _whole(params: Object, name: str) -> int:
    value = params.get(name)
    try:
        return int(str(value))
    except ValueError:
        raise StripeError(400, f"Invalid integer: {value}", param=name) from None


@dataclass
class Meters:
    account: Account
    meters: dict[str, Object] = field(default_factory=lambda: {
        meter["id"]: meter for meter in (_meter(str(m.stripe_event_name)) for m in Meter if m.stripe_event_name)})
    events: list[Object] = field(default_factory=list)
    identifiers: dict[str, int] = field(default_factory=dict)  # identifier -> when it was taken

    def list_meters(self, params: Object) -> Object:
        """The meters, with ``status`` filtering; one page holds them all."""
        found = [meter for meter in self.meters.values() if params.get("status") in (None, meter["status"])]
        return {"object": "list", "url": "/v1/billing/meters", "has_more": False, "data": found}

    def create_event(self, params: Object) -> Object:
        payload = params.get("payload")
        if not isinstance(payload, dict):
            raise StripeError(400, "Missing required param: payload.", param="payload", code="parameter_missing")
        value = _whole(payload, "value")
        timestamp = _whole(params, "timestamp") if "timestamp" in params else clock.epoch()
        with self.account.lock:
            identifier = params.get("identifier") or f"fake_{secrets.token_hex(12)}"
            taken = self.identifiers.get(identifier)
            if taken is not None and clock.epoch() - taken < IDENTIFIER_SECONDS:
                raise StripeError(400, f"An event already exists with identifier {identifier}.")
            event = self.record(str(params.get("event_name") or ""), payload.get("stripe_customer_id"), value,
                                timestamp, identifier=identifier)
            self.identifiers[identifier] = clock.epoch()
            return event

    def record(self, event_name: str, customer_id: Any, value: int, timestamp: int, *,
               identifier: str | None = None) -> Object:
        """A meter event, checked as Stripe checks one (but its identifier): how a test adds usage behind
        Atrium's back."""
        with self.account.lock:
            if not any(meter["event_name"] == event_name for meter in self.meters.values()):
                raise StripeError(400, f"No active meter was found with event_name {event_name!r}.",
                                  param="event_name")
            self.account.customer(str(customer_id), "payload[stripe_customer_id]")
            if not -OLDEST_SECONDS <= timestamp - clock.epoch() <= NEWEST_SECONDS:
                raise StripeError(400, "The timestamp must be within the past 35 days and at most 5 minutes in "
                                       "the future.", param="timestamp")
            event = {"object": "billing.meter_event", "created": clock.epoch(), "livemode": False,
                     "event_name": event_name, "identifier": identifier or f"fake_{secrets.token_hex(12)}",
                     "payload": {"stripe_customer_id": customer_id, "value": str(value)}, "timestamp": timestamp}
            self.events.append(event)
            return event

    def event_summaries(self, meter_id: str, params: Object) -> Object:
        """One summary: the sum of the customer's events on the meter from ``start_time`` to ``end_time``
        (excluded), both whole minutes."""
        if not params.get("customer"):
            raise StripeError(400, "Missing required param: customer.", param="customer", code="parameter_missing")
        start, end = _whole(params, "start_time"), _whole(params, "end_time")
        if start % 60 or end % 60 or end <= start:
            raise StripeError(400, "start_time and end_time must be whole minutes, end_time after start_time.",
                              param="end_time")
        with self.account.lock:
            if meter_id not in self.meters:
                raise missing("billing.meter", meter_id)
            name = self.meters[meter_id]["event_name"]
            total = sum(int(event["payload"]["value"]) for event in self.events
                        if event["event_name"] == name and event["payload"]["stripe_customer_id"] == params["customer"]
                        and start <= event["timestamp"] < end)
        summary = {"id": f"mtrusg_{secrets.token_hex(12)}", "object": "billing.meter_event_summary",
                   "aggregated_value": float(total), "start_time": start, "end_time": end, "meter": meter_id,
                   "livemode": False}
        return {"object": "list", "url": f"/v1/billing/meters/{meter_id}/event_summaries", "has_more": False,
                "data": [summary]}
