"""What was sent: a message with its deliveries and attempts, and an endpoint's attempts, newest first."""

import json

from atrium.kernel import clock, ids
from atrium.kernel.errors import NotFound
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.tenancy import Principal
from atrium.webhooks import endpoints, event_types
from atrium.webhooks.message_models import (
    ATTEMPT_COLLECTION,
    WebhookAttemptItem,
    WebhookDeliveryItem,
    WebhookMessageItem,
    message_pk,
)
from atrium.webhooks.schemas import (
    WebhookAttemptList,
    WebhookAttemptOut,
    WebhookDeliveryOut,
    WebhookMessageOut,
)


def attempt_out(attempt: WebhookAttemptItem) -> WebhookAttemptOut:
    def number(value: float | None) -> int | None:
        return None if value is None else int(value)

    return WebhookAttemptOut(
        id=attempt.id, message_id=attempt.message_id, endpoint_id=attempt.endpoint_id, event_type=attempt.event_type,
        attempt=int(attempt.attempt), trigger=attempt.trigger,
        attempted_at=clock.iso(attempt.created_at), succeeded=attempt.succeeded,
        status_code=number(attempt.status_code), latency_ms=number(attempt.latency_ms),
        response_body=attempt.response_body, error=attempt.error)


def _delivery_out(delivery: WebhookDeliveryItem) -> WebhookDeliveryOut:
    return WebhookDeliveryOut(
        endpoint_id=delivery.endpoint_id, status=delivery.status,
        attempts=int(delivery.attempts),
        next_attempt_at=None if delivery.next_attempt_at is None else clock.iso(delivery.next_attempt_at),
        last_status_code=None if delivery.last_status_code is None else int(delivery.last_status_code),
        last_error=delivery.last_error)


def load_message(tenant_id: str, message_id: str) -> tuple[WebhookMessageItem, list[WebhookDeliveryItem],
                                                              list[WebhookAttemptItem]]:
    """The message, its deliveries and its attempts (newest first): one Query of its partition."""
    missing = NotFound(f"webhook message {message_id} not found")
    if not ids.is_valid_id(message_id, "msg"):
        raise missing
    found = list(Item.query(message_pk(tenant_id, message_id), consistent_read=True))
    message = next((item for item in found if isinstance(item, WebhookMessageItem)), None)
    if message is None or (message.expires_at is not None and message.expires_at <= clock.now()):
        raise missing  # expired messages linger until DynamoDB's TTL deletes them; they are gone all the same
    deliveries = [item for item in found if isinstance(item, WebhookDeliveryItem)]
    attempts = sorted((item for item in found if isinstance(item, WebhookAttemptItem)), key=lambda a: a.id,
                      reverse=True)
    return message, deliveries, attempts


def get_message(principal: Principal, message_id: str) -> WebhookMessageOut:
    message, deliveries, attempts = load_message(principal.tenant_id, message_id)
    event_types.check_readable(principal, [message.event_type])  # the payload is the event's data
    return WebhookMessageOut(
        id=message.id, event_type=message.event_type, event_id=message.event_id,
        created_at=clock.iso(message.created_at), expires_at=clock.iso(message.expires_at),
        payload=json.loads(message.body), deliveries=[_delivery_out(d) for d in deliveries],
        attempts=[attempt_out(a) for a in attempts])


def list_attempts(principal: Principal, endpoint_id: str, *, limit: int, cursor: str | None) -> WebhookAttemptList:
    """The endpoint's attempts, newest first (the endpoint must exist in the caller's tenant)."""
    endpoints.load_endpoint(principal, endpoint_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, ATTEMPT_COLLECTION, endpoint_id)
    page = fetch_page(lambda start: Item.gsi1.query(collection, limit=limit, page_size=limit, scan_index_forward=False,
                                                    last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"webhook_attempts:{endpoint_id}")
    return WebhookAttemptList(data=[attempt_out(a) for a in page.items if isinstance(a, WebhookAttemptItem)],
                              next_cursor=page.next_cursor)
