"""Events as Stripe sends them: the JSON body POSTed to a webhook endpoint, signed with the endpoint's secret in
the ``Stripe-Signature`` header (``t=<unix time>,v1=<HMAC-SHA256>``, made by the official SDK)."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import stripe

from atrium_local.stripe_fake.account import Object, shown


@dataclass(frozen=True)
class Delivery:
    event_id: str
    event_type: str
    status: int  # the endpoint's answer; 0 when it could not be reached


@dataclass(frozen=True)
class WebhookEndpoint:
    """Where the fake sends events (Atrium's ``/v1/hooks/stripe``), through ``client``: an ``httpx.Client`` (a
    test's ``TestClient`` reaches the app in-process), and the signing secret, read when sending (the local stack
    provisions it after the fake starts)."""

    client: httpx.Client
    url: str
    secret: Callable[[], str]

    def send(self, event: Object) -> Delivery:
        body = json.dumps(shown(event))
        # The signature's time is the wall clock's, as Stripe's: the receiver checks it against its own.
        signature = stripe.WebhookSignature.generate_signature_header(body, self.secret())
        try:
            status = self.client.post(self.url, content=body, headers={
                "Stripe-Signature": signature, "Content-Type": "application/json; charset=utf-8"}).status_code
        except httpx.TransportError:
            status = 0
        return Delivery(event["id"], event["type"], status)

    def send_all(self, events: Iterable[Object]) -> list[Delivery]:
        """In the order given: a test sends them reversed, shuffled or twice, as Stripe may."""
        return [self.send(event) for event in events]


def ordered(events: list[Object], *, order: str, duplicate: bool) -> list[Object]:
    """``order`` ``sent`` (as created) or ``reversed``; ``duplicate`` sends the whole batch a second time."""
    chosen = list(reversed(events)) if order == "reversed" else list(events)
    return chosen * 2 if duplicate else chosen


def delivery_json(deliveries: list[Delivery]) -> list[dict[str, Any]]:
    return [{"event": d.event_id, "type": d.event_type, "status": d.status} for d in deliveries]
