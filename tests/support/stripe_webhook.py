"""The Stripe fake sending its events to the test's app, as Stripe to /v1/hooks/stripe (a fixture)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.kernel.secrets import read_secret
from atrium_local.stripe_fake.events import WebhookEndpoint
from atrium_local.stripe_fake.server import StripeFakeServer


@pytest.fixture
def stripe_webhook(client: TestClient, stripe_fake: StripeFakeServer) -> Iterator[StripeFakeServer]:
    """The fake sends its events to this test's app, as Stripe to /v1/hooks/stripe."""
    stripe_fake.fake.webhook = WebhookEndpoint(client, "/v1/hooks/stripe",
                                               secret=lambda: read_secret(settings().stripe_webhook_secret_id))
    yield stripe_fake
    stripe_fake.fake.webhook = None
