"""The Lambda handler of a consumer, made from its declaration: an SQS batch read as its source fills the queue
(``kernel.consumers``), with partial batch failures (only the failed messages go back to the queue).

- Events, one at a time, with exactly-once effects by event id (Powertools idempotency in the one table). If the
  handler's effects are done but recording the event as processed fails, the message is still acknowledged:
  retrying it would repeat the effects, because the record's in-progress claim expires (with the invocation)
  before SQS redelivers (after the visibility timeout).
- Topic notifications, one at a time; no idempotency record (the handler is idempotent by itself).
- Tasks, the batch's bodies at once; no idempotency record either. A body that is not a task goes to the DLQ.
"""

import json
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyPersistenceLayerError
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.config import settings
from atrium.kernel.consumers import (
    ConsumerSpec,
    EventHandler,
    Events,
    NotificationHandler,
    SnsNotification,
    TaskHandler,
    Tasks,
    Topic,
)
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger, metrics
from atrium.kernel.runtime.delivery import Delivery, delivering
from atrium.kernel.runtime.observed import observed
from atrium.kernel.runtime.sqs_batch import Handler, sqs_batch_handler
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# How long a processed event id is remembered; far longer than any redelivery.
PROCESSED_RETENTION_SECONDS = 7 * 24 * 3600


def consumer_handler(spec: ConsumerSpec[Any]) -> Handler:
    match spec.source:
        case Events():
            return _events_handler(spec)
        case Topic():
            return _notifications_handler(spec)
        case Tasks() as source:
            return _tasks_handler(spec, source)
    raise TypeError(f"consumer {spec.name}: no runtime reads a {type(spec.source).__name__} source")


def _dynamodb() -> "DynamoDBClient":
    """The models' client, for the processed-event records too: one client per process (each costs about 100 ms
    to make), and one signer, so those records (global items, written outside the tenant scope) are signed by the
    function's own role as every other call outside a tenant scope is."""
    return cast("DynamoDBClient", Item._get_connection().connection.client)


def _events_handler(spec: ConsumerSpec[EventHandler]) -> Handler:
    persistence = DynamoDBPersistenceLayer(
        table_name=settings().table_name, key_attr="pk", sort_key_attr="sk",
        static_pk_value=keys.global_pk("Processed", spec.name), expiry_attr="expires_at", boto3_client=_dynamodb(),
    )
    config = IdempotencyConfig(event_key_jmespath="id", expires_after_seconds=PROCESSED_RETENTION_SECONDS)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="envelope", config=config, persistence_store=persistence)
    def process_once(envelope: dict[str, Any], handled: list[str]) -> None:
        event = Envelope.model_validate(envelope)
        logger.thread_safe_append_keys(tenant_id=event.tenant_id, event_id=event.id, event_type=event.type)
        with tenant_scope(event.tenant_id):
            spec.handler(event)
        handled.append(event.id)  # the effects are done, whether or not recording them succeeds

    def process_record(record: SQSRecord) -> None:
        handled: list[str] = []
        delivery = Delivery(int(record.attributes.approximate_receive_count), spec.max_receive_count)
        try:
            with delivering(delivery):
                process_once(envelope=json.loads(record.body)["detail"], handled=handled)
        except IdempotencyPersistenceLayerError:
            if not handled:
                raise
            logger.warning("event handled, but not recorded as processed", exc_info=True)
            metrics.add_metric("EventsNotRecorded", MetricUnit.Count, 1)

    return sqs_batch_handler(spec.name, process_record, counted="Events", on_invoke=config.register_lambda_context)


def _notifications_handler(spec: ConsumerSpec[NotificationHandler]) -> Handler:
    def process_record(record: SQSRecord) -> None:
        notification = SnsNotification.model_validate(json.loads(record.body))
        logger.thread_safe_append_keys(sns_message_id=notification.message_id)
        spec.handler(notification)

    return sqs_batch_handler(spec.name, process_record, counted="Notifications")


def _task_body(record: dict[str, Any], source: Tasks) -> dict[str, Any] | None:
    try:
        body = json.loads(record["body"])
    except ValueError:
        body = None
    if not isinstance(body, dict) or (source.tenant_bound and not isinstance(body.get("tenant_id"), str)):
        logger.error("task body is not a task; it goes to the DLQ", extra={"sqs_message_id": record["messageId"]})
        return None
    return body


def _tasks_handler(spec: ConsumerSpec[TaskHandler], source: Tasks) -> Handler:
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        records = event["Records"]
        parsed = [(record["messageId"], _task_body(record, source)) for record in records]
        valid = [(message_id, body) for message_id, body in parsed if body is not None]
        failed_positions = spec.handler([body for _, body in valid]) if valid else set()
        failed = [message_id for message_id, body in parsed if body is None]
        failed += [valid[position][0] for position in sorted(failed_positions)]
        metrics.add_metric("TasksFailed", MetricUnit.Count, len(failed))
        metrics.add_metric("TasksProcessed", MetricUnit.Count, len(records) - len(failed))
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}

    return observed("consumer", spec.name, handler, emits_metrics=True)
