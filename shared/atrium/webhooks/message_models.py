"""Outbound delivery items. A message (one event for the tenant's endpoints) holds, under its own pk, one
delivery per endpoint and one item per attempt, so a message with its whole history is one Query. All
expire together after the payload retention.

- deliveries that ended failed sit on gsi2 under ``T#<tenant>#WebhookFailed#<endpoint>``, ordered by the
  message's time (what ``recover`` walks, oldest first); the key is removed when a delivery succeeds;
- attempts sit on gsi1 under ``T#<tenant>#WebhookAttempt#<endpoint>``, newest first by id (an endpoint's
  delivery log). One key per endpoint spreads a tenant's attempts over its endpoints, and each endpoint's
  rate is bounded (``rate_limit_per_second`` at most 1000, a partition's write rate).
"""

from datetime import datetime

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import personal
from atrium.webhooks.models import WebhookEndpointItem

MESSAGE = "WebhookMessage"
FAILED_COLLECTION = "WebhookFailed"
ATTEMPT_COLLECTION = "WebhookAttempt"
DELIVERY_SK_PREFIX = "Delivery#"
ATTEMPT_SK_PREFIX = "Attempt#"


class WebhookMessageItem(TenantEntity, discriminator=MESSAGE):
    """The exact body every attempt sends (byte for byte: only the signature headers change)."""

    event_type = UnicodeAttribute()
    event_id = UnicodeAttribute(null=True)  # none for a test message
    body = personal(UnicodeAttribute())  # the event it carries names people: ciphertext in the table


def message_pk(tenant_id: str, message_id: str) -> str:
    return keys.entity_pk(tenant_id, MESSAGE, message_id)


class WebhookDeliveryItem(Item, discriminator="WebhookDelivery"):
    """A message's state at one endpoint. ``status``: pending (an attempt is queued or due), sending (claimed
    by an attempt), succeeded, failed (no further attempt unless retried or recovered)."""

    tenant_id = UnicodeAttribute()
    message_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    message_created_at = UTCDateTimeAttribute()
    status = UnicodeAttribute(default="pending")
    attempts = NumberAttribute(default=0)  # attempts claimed so far
    # "scheduled": failures are retried on the schedule; "manual": a retry or recover sends once.
    trigger = UnicodeAttribute(default="scheduled")
    claimed_at = UTCDateTimeAttribute(null=True)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    last_status_code = NumberAttribute(null=True)
    last_error = UnicodeAttribute(null=True)

    def assign_keys(self) -> None:
        self.pk = message_pk(self.tenant_id, self.message_id)
        self.sk = DELIVERY_SK_PREFIX + self.endpoint_id
        if self.status == "failed":
            self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, FAILED_COLLECTION, self.endpoint_id)
            self.gsi2sk = failed_sort_key(self.message_created_at, self.message_id)
        else:
            self.gsi2pk = self.gsi2sk = None


def failed_sort_key(created_at: datetime, message_id: str) -> str:
    return f"{clock.iso(created_at)}#{message_id}"


class WebhookAttemptItem(Item, discriminator="WebhookAttempt"):
    tenant_id = UnicodeAttribute()
    id = UnicodeAttribute()
    message_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    attempt = NumberAttribute()
    trigger = UnicodeAttribute()
    succeeded = BooleanAttribute()
    status_code = NumberAttribute(null=True)
    latency_ms = NumberAttribute(null=True)
    response_body = UnicodeAttribute(null=True)  # the first 4 KB, as text
    error = UnicodeAttribute(null=True)

    def assign_keys(self) -> None:
        self.pk = message_pk(self.tenant_id, self.message_id)
        self.sk = ATTEMPT_SK_PREFIX + self.id
        self.gsi1pk = keys.bucketed_collection_pk(self.tenant_id, ATTEMPT_COLLECTION, self.endpoint_id)
        self.gsi1sk = self.id


def endpoint_pk(tenant_id: str, endpoint_id: str) -> str:
    return keys.entity_pk(tenant_id, WebhookEndpointItem.type_name(), endpoint_id)


class EndpointHealthItem(Item, discriminator="WebhookEndpointHealth"):
    """Since when an endpoint has failed without a success in between (kept beside the endpoint, so delivery
    never changes the endpoint's version, which clients hold as an ETag). Deleted on the next success; it
    expires once it cannot matter (after the endpoint would have been disabled), so a deleted endpoint leaves
    nothing behind for long."""

    tenant_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    failing_since = UTCDateTimeAttribute()

    SORT_KEY = "Health"

    def assign_keys(self) -> None:
        self.pk = endpoint_pk(self.tenant_id, self.endpoint_id)
        self.sk = self.SORT_KEY


class RateWindowItem(Item, discriminator="WebhookRateWindow"):
    """Attempts started to one endpoint in one second (a fixed window), for its rate limit."""

    tenant_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    second = NumberAttribute()
    started = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = endpoint_pk(self.tenant_id, self.endpoint_id)
        self.sk = f"Rate#{int(self.second)}"
