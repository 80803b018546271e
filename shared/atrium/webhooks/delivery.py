"""Delivery attempts: a batch of tasks, each one attempt of one message at one endpoint.

1. One consistent BatchGetItem reads every task's message, delivery, endpoint and endpoint health.
2. Each delivery is claimed with a conditional write (its version), so a duplicate task or a racing
   consumer sends nothing twice; a task whose attempt was already recorded only makes sure the next
   attempt is queued (the crash between recording and queueing). An endpoint over its rate limit gets the
   task back a second later, without spending an attempt.
3. The batch's requests go out concurrently (``sender``).
4. Each outcome is one transaction: the attempt record and the delivery's new state (succeeded, pending
   with its next attempt due, or failed). Then the next attempt is queued, the endpoint's health noted,
   and the endpoint disabled on 410 Gone or after failing for ``webhook_disable_after_seconds``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from atrium.kernel import clock, ids
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.writes import exists, unless_raced
from atrium.kernel.tenancy import tenant_scope
from atrium.webhooks import endpoint_health, retry_policy, sender, signing
from atrium.webhooks.delivery_tasks import queue_attempt, queue_next_attempts
from atrium.webhooks.message_models import (
    DELIVERY_SK_PREFIX,
    EndpointHealthItem,
    WebhookAttemptItem,
    WebhookDeliveryItem,
    WebhookMessageItem,
    endpoint_pk,
    message_pk,
)
from atrium.webhooks.models import WebhookEndpointItem

# A claim older than this was abandoned (its consumer died mid-attempt): the task may claim it again.
STALE_CLAIM = timedelta(seconds=2 * sender.TOTAL_TIMEOUT_SECONDS + 30)
RATE_LIMITED_RETRY = timedelta(seconds=1)
MAX_ERROR_CHARS = 1000


@dataclass
class _Task:
    position: int
    tenant_id: str
    message_id: str
    endpoint_id: str
    attempt: int
    message: WebhookMessageItem | None = None
    delivery: WebhookDeliveryItem | None = None
    endpoint: WebhookEndpointItem | None = None
    health: EndpointHealthItem | None = None
    outgoing: sender.Outgoing | None = None


def attempt_delivery(bodies: list[dict[str, Any]]) -> set[int]:
    """The task runtime's handler: returns the positions of tasks to return to the queue."""
    batch = [_Task(position, b["tenant_id"], b["message_id"], b["endpoint_id"], int(b["attempt"]))
             for position, b in enumerate(bodies)]
    failed: set[int] = set()
    _load(batch)
    ready: list[_Task] = []
    for task in batch:
        try:
            with tenant_scope(task.tenant_id):
                if _claim(task):
                    ready.append(task)
        except Exception:
            logger.exception("webhook attempt could not start", extra=_context(task))
            failed.add(task.position)
    outcomes = sender.send_all([task.outgoing for task in ready if task.outgoing is not None])
    for task, outcome in zip(ready, outcomes, strict=True):
        try:
            with tenant_scope(task.tenant_id):
                _record(task, outcome)
        except Exception:
            logger.exception("webhook attempt could not be recorded", extra=_context(task))
            failed.add(task.position)
    return failed


def _context(task: _Task) -> dict[str, Any]:
    return {"tenant_id": task.tenant_id, "message_id": task.message_id, "endpoint_id": task.endpoint_id,
            "attempt": task.attempt}


def _load(batch: list[_Task]) -> None:
    """The batch's items: one BatchGetItem per tenant in it, in that tenant's scope (its session reads them)."""
    for tenant_id in dict.fromkeys(task.tenant_id for task in batch):
        with tenant_scope(tenant_id):
            _load_of_one_tenant([task for task in batch if task.tenant_id == tenant_id])


def _load_of_one_tenant(tasks: list[_Task]) -> None:
    wanted: list[tuple[str, str]] = []
    for task in tasks:
        message, endpoint = message_pk(task.tenant_id, task.message_id), endpoint_pk(task.tenant_id, task.endpoint_id)
        wanted += [(message, keys.ENTITY_SK), (message, DELIVERY_SK_PREFIX + task.endpoint_id),
                   (endpoint, keys.ENTITY_SK), (endpoint, EndpointHealthItem.SORT_KEY)]
    found = {(item.pk, item.sk): item for item in Item.batch_get(list(dict.fromkeys(wanted)), consistent_read=True)}
    for task, start in zip(tasks, range(0, len(wanted), 4), strict=True):
        items = [found.get(key) for key in wanted[start:start + 4]]
        task.message = items[0] if isinstance(items[0], WebhookMessageItem) else None
        task.delivery = items[1] if isinstance(items[1], WebhookDeliveryItem) else None
        task.endpoint = items[2] if isinstance(items[2], WebhookEndpointItem) else None
        task.health = items[3] if isinstance(items[3], EndpointHealthItem) else None


def _claim(task: _Task) -> bool:
    """Whether this task may send: its delivery is claimed for its attempt and the request is built."""
    message, delivery, endpoint, now = task.message, task.delivery, task.endpoint, clock.now()
    if message is None or delivery is None or endpoint is None:
        logger.info("webhook attempt dropped: the message expired or the endpoint was deleted", extra=_context(task))
        return False
    attempts = int(delivery.attempts)
    if delivery.status == "pending" and attempts == task.attempt and delivery.next_attempt_at is not None:
        # This attempt was recorded and the next one is due: make sure it is queued (sending twice is harmless).
        queue_next_attempts([delivery], at=delivery.next_attempt_at)
        return False
    fresh = delivery.status == "pending" and attempts == task.attempt - 1
    abandoned = (delivery.status == "sending" and attempts == task.attempt and delivery.claimed_at is not None
                 and now - delivery.claimed_at > STALE_CLAIM)
    if not (fresh or abandoned):
        return False  # a duplicate of an attempt already made or under way
    if not endpoint.enabled:
        delivery.status, delivery.last_error, delivery.next_attempt_at = "failed", "the endpoint is disabled", None
        unless_raced(delivery.save)
        return False
    if not endpoint_health.take_rate_slot(endpoint, now):
        queue_attempt(delivery, task.attempt, at=now + RATE_LIMITED_RETRY)
        return False
    delivery.status, delivery.attempts, delivery.claimed_at = "sending", task.attempt, now
    if not unless_raced(delivery.save):
        return False
    body = message.body.encode()
    task.outgoing = sender.Outgoing(endpoint.url, body, signing.sign(endpoint, message.id, now, body))
    return True


def _record(task: _Task, outcome: sender.Outcome) -> None:
    assert task.delivery is not None and task.endpoint is not None and task.message is not None
    delivery, now = task.delivery, clock.now()
    ok = retry_policy.succeeded(outcome.status_code)
    attempt = WebhookAttemptItem(
        tenant_id=task.tenant_id, id=ids.new_id("att"), message_id=task.message_id, endpoint_id=task.endpoint_id,
        event_type=task.message.event_type, attempt=task.attempt, trigger=delivery.trigger, succeeded=ok,
        status_code=outcome.status_code, latency_ms=outcome.latency_ms, response_body=outcome.response_body,
        error=None if outcome.error is None else outcome.error[:MAX_ERROR_CHARS], expires_at=task.message.expires_at)
    delivery.last_status_code, delivery.last_error = outcome.status_code, attempt.error
    delay = None if ok else _retry_delay(task, outcome, now)
    delivery.status = "succeeded" if ok else "pending" if delay is not None else "failed"
    delivery.next_attempt_at = None if delay is None else now + delay
    try:
        with TransactWrite(connection=Item._get_connection().connection) as transaction:
            transaction.save(attempt, condition=Item.pk.does_not_exist())
            transaction.save(delivery)
    except TransactWriteError:
        if not exists(attempt):
            raise
        # The first try committed and its answer was lost; the retry failed on its own writes.
        delivery.update_local_version_attribute()  # type: ignore[no-untyped-call]
    if delivery.next_attempt_at is not None:
        queue_next_attempts([delivery], at=delivery.next_attempt_at)
    endpoint_health.note(task.endpoint, task.health, ok=ok, status_code=outcome.status_code, now=now)


def _retry_delay(task: _Task, outcome: sender.Outcome, now: datetime) -> timedelta | None:
    assert task.delivery is not None
    if task.delivery.trigger != "scheduled" or outcome.status_code == retry_policy.GONE:
        return None
    scheduled = retry_policy.next_delay(task.attempt)
    if scheduled is None:
        return None
    return retry_policy.retry_after(outcome.status_code, outcome.retry_after, now) or scheduled
