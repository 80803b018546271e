"""Stripe's webhook: a verified event becomes one ``billing.stripe_event`` domain event.

Stripe events belong to the platform, not to a tenant, so they are written in the platform tenant's log
(``PLATFORM_TENANT_ID``): a global guard ``G#StripeEvent#<evt id>``, the audit entry and the event in one
transaction, so an event Stripe sends again is accepted and not emitted twice.
"""

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import BadRequest, Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.secrets import read_secret
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from atrium.webhooks.events import STRIPE_EVENT, StripeEvent
from atrium.webhooks.inbound_models import StripeEventSeen
from atrium.webhooks.inbound_schemas import StripeReceipt
from atrium.webhooks.payloads import payload_text

TOLERANCE_SECONDS = 300
# Stripe retries an undelivered event for up to three days; the guard outlives that.
_GUARD_DAYS = 30
_STRIPE = Ref(type="service", id="stripe", name="Stripe")


class _Replayed(Conflict):
    """The guard of this Stripe event id exists: the event was received before."""


def _verified_event(text: str, signature: str | None) -> dict[str, Any]:
    # The platform's endpoint and its Connect endpoint (events of connected accounts) are two endpoints at Stripe
    # with a signing secret each, both sending here: the secret holds them separated by commas.
    secrets = read_secret(settings().stripe_webhook_secret_id).split(",")
    if not any(_signed_with(text, signature, secret.strip()) for secret in secrets):
        raise BadRequest("the Stripe-Signature header is missing, stale or does not match")
    try:
        event = json.loads(text)
    except ValueError:
        raise BadRequest("the payload is not JSON") from None
    if not (isinstance(event, dict) and isinstance(event.get("id"), str) and event["id"].startswith("evt_")
            and "#" not in event["id"] and isinstance(event.get("type"), str)):
        raise BadRequest("the payload is not a Stripe event (an id evt_… and a type)")
    return event


def _signed_with(text: str, signature: str | None, secret: str) -> bool:
    import stripe  # here, not at module scope: only this route function loads the Stripe library

    try:
        stripe.WebhookSignature.verify_header(text, signature, secret, tolerance=TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError:
        return False
    return True


def receive(body: bytes, headers: Mapping[str, str], info: RequestInfo) -> StripeReceipt:
    event = _verified_event(payload_text(body), headers.get("stripe-signature"))
    data = StripeEvent(stripe_event_id=event["id"], stripe_type=event["type"],
                       livemode=bool(event.get("livemode", False)), payload=event)
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = UnitOfWork(PLATFORM_TENANT_ID, _STRIPE, info)
        uow.create(StripeEventSeen(natural_key=event["id"],
                                   expires_at=clock.now() + timedelta(days=_GUARD_DAYS)),
                   conflict=_Replayed("replayed"))
        uow.record(STRIPE_EVENT.name, subject=Ref(type="stripe_event", id=event["id"]), data=data.model_dump())
        try:
            uow.commit()
        except _Replayed:
            return StripeReceipt(stripe_event_id=event["id"], duplicate=True)
    return StripeReceipt(stripe_event_id=event["id"], duplicate=False)
