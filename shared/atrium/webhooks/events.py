"""Event types the webhooks context emits."""

from typing import Any

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

# Inbound


class InboundHookChanged(BaseModel):
    hook_id: str
    name: str


class InboundHookReceived(BaseModel):
    hook_id: str
    webhook_id: str  # the sender's message id (``webhook-id``), unique per message
    payload: Any


class StripeEvent(BaseModel):
    stripe_event_id: str
    stripe_type: str
    livemode: bool
    payload: dict[str, Any]


INBOUND_HOOK_CREATED = EventType("inbound_hook.created", InboundHookChanged, "A tenant created an inbound hook.")
INBOUND_HOOK_DELETED = EventType("inbound_hook.deleted", InboundHookChanged, "An inbound hook was deleted.")
INBOUND_HOOK_RECEIVED = EventType("inbound_hook.received", InboundHookReceived,
                                  "A signed call reached an inbound hook (once per webhook-id).")
STRIPE_EVENT = EventType("billing.stripe_event", StripeEvent,
                         "Stripe sent a verified event (once per Stripe event id), in the platform tenant's log.")

INBOUND_EVENT_TYPES = [INBOUND_HOOK_CREATED, INBOUND_HOOK_DELETED, INBOUND_HOOK_RECEIVED,
                       STRIPE_EVENT]

EVENT_TYPES = [*INBOUND_EVENT_TYPES]
