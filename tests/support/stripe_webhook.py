"""The Stripe fake sending its events to the test's app, as Stripe to /v1/hooks/stripe (a fixture), and a Stripe
event as the receiver hands it on (for tests that call billing's consumers directly)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.secrets import read_secret
from atrium.kernel.tenancy import PLATFORM_TENANT_ID
from atrium_local.stripe_fake.account import Object, shown
from atrium_local.stripe_fake.events import WebhookEndpoint
from atrium_local.stripe_fake.server import StripeFakeServer


@pytest.fixture
def stripe_webhook(client: TestClient, stripe_fake: StripeFakeServer) -> Iterator[StripeFakeServer]:
    """The fake sends its events to this test's app, as Stripe to /v1/hooks/stripe."""
    stripe_fake.fake.webhook = WebhookEndpoint(client, "/v1/hooks/stripe",
                                               secret=lambda: read_secret(settings().stripe_webhook_secret_id))
    yield stripe_fake
    stripe_fake.fake.webhook = None


def stripe_event_envelope(stripe_event: Object) -> Envelope:
    """A billing.stripe_event as the receiver writes it, with a new id each time: as if Stripe sent it again."""
    return Envelope(id=ids.new_id("evt"), type="billing.stripe_event", tenant_id=PLATFORM_TENANT_ID,
                    occurred_at=clock.now(), actor=Ref(type="service", id="stripe"),
                    subject=Ref(type="stripe_event", id=stripe_event["id"]),
                    data={"stripe_event_id": stripe_event["id"], "stripe_type": stripe_event["type"],
                          "livemode": False, "payload": shown(stripe_event)})
