"""Event types the webhooks context emits. None carries a signing secret."""

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


WEBHOOK_ENDPOINT_CREATED = EventType("webhook_endpoint.created", WebhookEndpointChanged,
                                     "A webhook endpoint was created.")
WEBHOOK_ENDPOINT_UPDATED = EventType("webhook_endpoint.updated", WebhookEndpointChanged,
                                     "A webhook endpoint's URL, event types, rate limit or state changed.")
WEBHOOK_ENDPOINT_DELETED = EventType("webhook_endpoint.deleted", WebhookEndpointChanged,
                                     "A webhook endpoint was deleted.")
WEBHOOK_ENDPOINT_SECRET_ROTATED = EventType(
    "webhook_endpoint.secret_rotated", WebhookEndpointSecretRotated,
    "A webhook endpoint got a new signing secret; the previous one also signs until the grace period ends.")

EVENT_TYPES = [WEBHOOK_ENDPOINT_CREATED, WEBHOOK_ENDPOINT_UPDATED, WEBHOOK_ENDPOINT_DELETED,
               WEBHOOK_ENDPOINT_SECRET_ROTATED]
