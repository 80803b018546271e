"""Webhook messages: one event made into the exact body its endpoints receive, with one delivery per
endpoint. ``fan_out`` makes them from the tenant's events; a test send makes one for a single endpoint."""

import json
from collections.abc import Sequence
from datetime import timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.webhooks.delivery_tasks import queue_next_attempts
from atrium.webhooks.message_models import DELIVERY_SK_PREFIX, WebhookDeliveryItem, WebhookMessageItem, message_pk
from atrium.webhooks.models import WebhookEndpointItem


def body_of(envelope: Envelope) -> str:
    """What a receiver gets: the Standard Webhooks payload shape (``type``, ``timestamp``, ``data``) with the
    event's id, subject and actor."""
    return json.dumps({
        "id": envelope.id, "type": envelope.type, "timestamp": clock.iso(envelope.occurred_at),
        "subject": envelope.subject.model_dump(exclude_none=True),
        "actor": envelope.actor.model_dump(exclude_none=True), "data": envelope.data,
    }, separators=(",", ":"), ensure_ascii=False)


def new_message(tenant_id: str, message_id: str, envelope: Envelope, *, event_id: str | None) -> WebhookMessageItem:
    now = clock.now()
    return WebhookMessageItem(tenant_id=tenant_id, id=message_id, event_type=envelope.type, event_id=event_id,
                              body=body_of(envelope), created_at=now,
                              expires_at=now + timedelta(days=settings().webhook_payload_retention_days))


def deliveries_of(message: WebhookMessageItem, endpoints: Sequence[WebhookEndpointItem], *,
                  trigger: str = "scheduled") -> list[WebhookDeliveryItem]:
    return [WebhookDeliveryItem(tenant_id=message.tenant_id, message_id=message.id, endpoint_id=endpoint.id,
                                message_created_at=message.created_at, trigger=trigger,
                                expires_at=message.expires_at) for endpoint in endpoints]


def subscribed_endpoints(tenant_id: str, event_type: str) -> list[WebhookEndpointItem]:
    """The tenant's enabled endpoints that take ``event_type`` (an empty filter takes every type)."""
    found = WebhookEndpointItem.gsi1.query(keys.collection_pk(tenant_id, WebhookEndpointItem.type_name()))
    return [e for e in found if isinstance(e, WebhookEndpointItem) and e.enabled
            and (not e.event_types or event_type in e.event_types)]


def fan_out(envelope: Envelope) -> None:
    """The consumer of every deliverable event: a message for the tenant's subscribed endpoints, and the first
    attempt at each queued. A redelivered event finds its message written and queues the first attempts
    that have not started (the queueing may be what failed)."""
    endpoints = subscribed_endpoints(envelope.tenant_id, envelope.type)
    if not endpoints:
        return
    message = new_message(envelope.tenant_id, "msg_" + envelope.id.split("_", 1)[1], envelope, event_id=envelope.id)
    deliveries = deliveries_of(message, endpoints)
    try:
        with TransactWrite(connection=Item._get_connection().connection) as transaction:
            transaction.save(message, condition=Item.pk.does_not_exist())
            for delivery in deliveries:
                transaction.save(delivery, condition=Item.pk.does_not_exist())
    except TransactWriteError as error:
        if not any(reason is not None and reason.code == "ConditionalCheckFailed"
                   for reason in error.cancellation_reasons):
            raise
        deliveries = [d for d in message_deliveries(envelope.tenant_id, message.id)
                      if d.status == "pending" and int(d.attempts) == 0]
    queue_next_attempts(deliveries)


def message_deliveries(tenant_id: str, message_id: str) -> list[WebhookDeliveryItem]:
    found = Item.query(message_pk(tenant_id, message_id), Item.sk.startswith(DELIVERY_SK_PREFIX),
                       consistent_read=True)
    return [item for item in found if isinstance(item, WebhookDeliveryItem)]
