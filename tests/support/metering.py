"""Metered usage in tests: events counted straight into a tenant's counters (the consumer's own function), tenants
billed through the Stripe fake, and what the fake's meters hold. Tenants are bare ids: metering needs no more."""

from datetime import datetime, timedelta

import pytest
from stripe._http_client import HTTPClient

from atrium.billing.metering import counters
from atrium.billing.metering.meters import Meter
from atrium.billing.stripe.models import StripeCustomerItem
from atrium.kernel import ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.tenancy import tenant_scope
from atrium_local.stripe_fake.server import StripeFakeServer

EVENT_NAME = str(Meter.PROOFS.stripe_event_name)


def count(tenant_id: str, at: datetime, proofs: int = 1) -> None:
    """``proofs`` proofs created by the tenant at ``at``, counted (one event each)."""
    with tenant_scope(tenant_id):
        for _ in range(proofs):
            event = Envelope(id=ids.new_id("evt"), type="proof.created", tenant_id=tenant_id, occurred_at=at,
                             actor=Ref(type="user", id=ids.new_id("usr")),
                             subject=Ref(type="proof", id=ids.new_id("prf")), data={})
            assert counters.count(event, {Meter.PROOFS: 1})


def billed_tenant(stripe_fake: StripeFakeServer) -> tuple[str, str]:
    """A new tenant with a Stripe customer (made now, on the test's clock): its id and the customer's."""
    tenant_id = ids.new_id("ten")
    customer_id = stripe_fake.fake.account.create_customer({"metadata": {"tenant_id": tenant_id}})["id"]
    with tenant_scope(tenant_id):
        StripeCustomerItem(tenant_id=tenant_id, id=tenant_id, customer_id=customer_id).save()
    return tenant_id, customer_id


def at_stripe(stripe_fake: StripeFakeServer, customer_id: str, day: datetime) -> int:
    """The customer's proofs on the fake's meter during ``day``'s UTC day (``day`` at midnight)."""
    start, end = day.timestamp(), (day + timedelta(days=1)).timestamp()
    return sum(int(event["payload"]["value"]) for event in stripe_fake.fake.meters.events
               if event["payload"]["stripe_customer_id"] == customer_id and start <= event["timestamp"] < end)


def events_of(stripe_fake: StripeFakeServer, customer_id: str) -> list[str]:
    """The identifiers of the customer's meter events, in the order recorded."""
    return [event["identifier"] for event in stripe_fake.fake.meters.events
            if event["payload"]["stripe_customer_id"] == customer_id]


def stripe_retries_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK retries a failed call without its backoff sleeps (half a second and more)."""
    monkeypatch.setattr(HTTPClient, "_sleep_time_seconds", lambda _self, _retries: 0.0)
