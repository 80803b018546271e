"""Sending again on a user's request: one message (retry), every failed message of an endpoint since a time
(recover), or a test message. Each is audited, and each resend is one attempt (``trigger`` manual: no retry
schedule). A delivery is put back with a conditional write on its version, so racing requests resend it
once."""

from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.webhooks import endpoints, event_types, message_log, messages
from atrium.webhooks.delivery_tasks import queue_next_attempts
from atrium.webhooks.message_models import FAILED_COLLECTION, WebhookDeliveryItem, failed_sort_key
from atrium.webhooks.models import WebhookEndpointItem
from atrium.webhooks.schemas import WebhookMessageRetry, WebhookRecover, WebhookResent, WebhookTestSend

# One transaction holds the deliveries and the audit entry.
MAX_RECOVERED_PER_CALL = 90
TEST_EVENT_TYPE = "webhook_endpoint.test"


def _resend(principal: Principal, info: RequestInfo, deliveries: list[WebhookDeliveryItem], action: str,
            subject: Ref, data: dict[str, object]) -> None:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    for delivery in deliveries:
        delivery.status, delivery.trigger, delivery.next_attempt_at = "pending", "manual", None
        uow.save(delivery)
    uow.record(action, subject=subject, data=data, emit=False)
    uow.commit()
    queue_next_attempts(deliveries)


def retry_message(principal: Principal, message_id: str, request: WebhookMessageRetry,
                  info: RequestInfo) -> WebhookResent:
    message, deliveries, _ = message_log.load_message(principal.tenant_id, message_id)
    if request.endpoint_id is not None:
        chosen = [d for d in deliveries if d.endpoint_id == request.endpoint_id]
        if not chosen:
            raise NotFound(f"message {message_id} was not sent to endpoint {request.endpoint_id}")
        if chosen[0].status in ("pending", "sending"):
            raise Conflict("that delivery is still under way; wait for it or for its next attempt")
    else:
        chosen = [d for d in deliveries if d.status == "failed"]
        if not chosen:
            raise Conflict("no delivery of this message failed; name an endpoint_id to resend a delivered one")
    _resend(principal, info, chosen, "webhook_message.retried", Ref(type="webhook_message", id=message.id),
            {"endpoint_ids": [d.endpoint_id for d in chosen]})
    return WebhookResent(message_ids=[message.id], more=False)


def _enabled_endpoint(principal: Principal, endpoint_id: str) -> WebhookEndpointItem:
    endpoint = endpoints.load_endpoint(principal, endpoint_id)
    if not endpoint.enabled:
        raise Conflict("the endpoint is disabled; enable it first (PATCH enabled: true)")
    return endpoint


def recover(principal: Principal, endpoint_id: str, request: WebhookRecover, info: RequestInfo) -> WebhookResent:
    """The endpoint's failed deliveries of messages created since ``since``, oldest first, each once; at most
    ``MAX_RECOVERED_PER_CALL`` per call (``more`` says to call again)."""
    endpoint = _enabled_endpoint(principal, endpoint_id)
    failed = Item.gsi2.query(keys.bucketed_collection_pk(principal.tenant_id, FAILED_COLLECTION, endpoint.id),
                             Item.gsi2sk >= failed_sort_key(request.since, ""),
                             limit=MAX_RECOVERED_PER_CALL + 1, page_size=MAX_RECOVERED_PER_CALL + 1)
    found = [d for d in failed if isinstance(d, WebhookDeliveryItem)]
    chosen = found[:MAX_RECOVERED_PER_CALL]
    if chosen:
        _resend(principal, info, chosen, "webhook_endpoint.recovered",
                Ref(type="webhook_endpoint", id=endpoint.id, name=endpoint.url),
                {"since": clock.iso(request.since), "messages": len(chosen)})
    return WebhookResent(message_ids=[d.message_id for d in chosen], more=len(found) > len(chosen))


def send_test(principal: Principal, endpoint_id: str, request: WebhookTestSend, info: RequestInfo) -> WebhookResent:
    """A message to this endpoint only: the catalog example of ``event_type``, or a ``webhook_endpoint.test``."""
    endpoint = _enabled_endpoint(principal, endpoint_id)
    subject = Ref(type="webhook_endpoint", id=endpoint.id, name=endpoint.url)
    if request.event_type is None:
        event_type, data = TEST_EVENT_TYPE, {"endpoint_id": endpoint.id, "message": "A test message from Atrium."}
    else:
        event_type = event_types.check_subscribable([request.event_type], field="body.event_type")[0]
        data = event_types.example(next(t for t in event_types.deliverable() if t.name == event_type))
    envelope = Envelope(id=ids.new_id("evt"), type=event_type, tenant_id=principal.tenant_id,
                        occurred_at=clock.now(), actor=actor_of(principal), subject=subject, data=data)
    message = messages.new_message(principal.tenant_id, ids.new_id("msg"), envelope, event_id=None)
    deliveries = messages.deliveries_of(message, [endpoint], trigger="manual")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.create(message, conflict=Conflict("id collision; retry"))
    uow.create(deliveries[0], conflict=Conflict("id collision; retry"))
    uow.record("webhook_endpoint.tested", subject=subject, data={"message_id": message.id, "event_type": event_type},
               emit=False)
    uow.commit()
    queue_next_attempts(deliveries)
    return WebhookResent(message_ids=[message.id], more=False)
