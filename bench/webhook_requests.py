"""Set-up for the webhooks context's inbound operations in bench/aws_calls.py: hooks of the fixture tenant, and
signed calls to the receivers (signed over the exact bytes the client will send)."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from atrium.kernel import ids

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request

NEW_HOOK = {"name": "Bench"}
PAYLOAD = {"type": "bench.ping", "data": {"n": 1}}


def _sent_bytes(body: dict[str, Any]) -> str:
    return httpx.Request("POST", "http://bench", json=body).content.decode()


def hook_path(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(path=f"/v1/inbound-hooks/{fixture.post('/v1/inbound-hooks', NEW_HOOK)['id']}")


def signed_inbound_call(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from standardwebhooks.webhooks import Webhook

    from bench.aws_calls import Request

    hook = fixture.post("/v1/inbound-hooks", NEW_HOOK)
    webhook_id, now = ids.new_id("evt"), datetime.now(UTC)
    signature = Webhook(hook["secret"]).sign(webhook_id, now, _sent_bytes(PAYLOAD))
    return Request(body=PAYLOAD, path="/" + hook["url"].split("/", 3)[3], headers={
        "webhook-id": webhook_id, "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature})


def signed_stripe_event(_fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    import stripe

    from atrium.kernel.config import settings
    from atrium.kernel.secrets import read_secret
    from bench.aws_calls import Request

    event = {"id": "evt_" + ids.ulid(), "object": "event", "type": "invoice.paid", "livemode": False, "data": {}}
    header = stripe.WebhookSignature.generate_signature_header(
        _sent_bytes(event), read_secret(settings().stripe_webhook_secret_id))
    return Request(body=event, headers={"Stripe-Signature": header})
