"""Event types the webhooks context emits. None carries a signing secret."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from atrium.kernel.events.catalog import EventType

# Outbound


class WebhookEndpointChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "endpoint_id": "ep_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "url": "https://example.com/webhooks",
        "description": "Orders service", "event_types": ["member.joined"], "enabled": True,
        "rate_limit_per_second": None}]})

    endpoint_id: str
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    rate_limit_per_second: int | None


class WebhookEndpointSecretRotated(BaseModel):
    endpoint_id: str
    previous_secret_valid_until: str


class WebhookEndpointDisabled(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "endpoint_id": "ep_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "url": "https://example.com/webhooks", "reason": "failing",
        "detail": "every delivery failed for 5 days", "failing_since": "2026-11-20T08:00:00.000Z"}]})

    endpoint_id: str
    url: str
    # "gone": the receiver answered 410 Gone; "failing": every attempt failed for the configured period.
    reason: Literal["gone", "failing"]
    detail: str
    failing_since: str | None


WEBHOOK_ENDPOINT_CREATED = EventType("webhook_endpoint.created", WebhookEndpointChanged,
                                     "A webhook endpoint was created.", read_permission="webhook_endpoints:read")
WEBHOOK_ENDPOINT_UPDATED = EventType("webhook_endpoint.updated", WebhookEndpointChanged,
                                     "A webhook endpoint's URL, event types, rate limit or state changed.",
                                     read_permission="webhook_endpoints:read")
WEBHOOK_ENDPOINT_DELETED = EventType("webhook_endpoint.deleted", WebhookEndpointChanged,
                                     "A webhook endpoint was deleted.", read_permission="webhook_endpoints:read")
WEBHOOK_ENDPOINT_SECRET_ROTATED = EventType(
    "webhook_endpoint.secret_rotated", WebhookEndpointSecretRotated,
    "A webhook endpoint got a new signing secret; the previous one also signs until the grace period ends.",
                                            read_permission="webhook_endpoints:read")

WEBHOOK_ENDPOINT_DISABLED = EventType(
    "webhook_endpoint.disabled", WebhookEndpointDisabled,
    "Atrium disabled a webhook endpoint: it answered 410 Gone, or every delivery failed for days; the tenant's "
    "admins are emailed.", read_permission="webhook_endpoints:read")

OUTBOUND_EVENT_TYPES = [WEBHOOK_ENDPOINT_CREATED, WEBHOOK_ENDPOINT_UPDATED, WEBHOOK_ENDPOINT_DELETED,
                        WEBHOOK_ENDPOINT_SECRET_ROTATED, WEBHOOK_ENDPOINT_DISABLED]


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


INBOUND_HOOK_CREATED = EventType("inbound_hook.created", InboundHookChanged, "A tenant created an inbound hook.",
                                 read_permission="inbound_hooks:read")
INBOUND_HOOK_DELETED = EventType("inbound_hook.deleted", InboundHookChanged, "An inbound hook was deleted.",
                                 read_permission="inbound_hooks:read")
INBOUND_HOOK_RECEIVED = EventType("inbound_hook.received", InboundHookReceived,
                                  "A signed call reached an inbound hook (once per webhook-id).",
                                  read_permission="inbound_hooks:read")
STRIPE_EVENT = EventType("billing.stripe_event", StripeEvent,
                         "Stripe sent a verified event (once per Stripe event id), in the platform tenant's log.",
                         read_permission="billing:read")

INBOUND_EVENT_TYPES = [INBOUND_HOOK_CREATED, INBOUND_HOOK_DELETED, INBOUND_HOOK_RECEIVED,
                       STRIPE_EVENT]


EVENT_TYPES = [*OUTBOUND_EVENT_TYPES, *INBOUND_EVENT_TYPES]
