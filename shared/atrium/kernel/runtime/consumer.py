"""A queue consumer: SQS batches of EventBridge events, partial batch failures, and
exactly-once effects by event id (Powertools idempotency in the one table).

If the handler's effects are done but recording the event as processed fails, the message is
still acknowledged: retrying it would repeat the effects, because the record's in-progress
claim expires (with the invocation) before SQS redelivers (after the visibility timeout)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyPersistenceLayerError

from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.events.routing import ConsumerSpec
from atrium.kernel.observability import logger, metrics
from atrium.kernel.runtime.sqs_batch import Handler, sqs_batch_handler
from atrium.kernel.store import keys
from atrium.kernel.tenancy import tenant_scope

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# How long a processed event id is remembered; far longer than any redelivery.
PROCESSED_RETENTION_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Delivery:
    """Which receive of its message a handler runs in: after the last one, SQS parks the message in the DLQ."""

    receive_count: int
    max_receive_count: int

    @property
    def is_last(self) -> bool:
        return self.receive_count >= self.max_receive_count


_delivery: ContextVar[Delivery | None] = ContextVar("atrium_delivery", default=None)


def current_delivery() -> Delivery:
    """The delivery of the message being handled (only inside a consumer's handler)."""
    delivery = _delivery.get()
    if delivery is None:
        raise RuntimeError("no message is being handled")
    return delivery


@contextmanager
def _delivering(delivery: Delivery) -> Iterator[None]:
    token = _delivery.set(delivery)
    try:
        yield
    finally:
        _delivery.reset(token)


@cache
def _dynamodb() -> "DynamoDBClient":
    """One client for the process's consumers (the local worker runs them all): each costs about 100 ms to make."""
    return boto3.client("dynamodb", region_name=settings().region)


def consumer_handler(spec: ConsumerSpec) -> Handler:
    persistence = DynamoDBPersistenceLayer(
        table_name=settings().table_name, key_attr="pk", sort_key_attr="sk",
        static_pk_value=keys.global_pk("Processed", spec.name), expiry_attr="expires_at", boto3_client=_dynamodb(),
    )
    config = IdempotencyConfig(event_key_jmespath="id", expires_after_seconds=PROCESSED_RETENTION_SECONDS)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="envelope", config=config, persistence_store=persistence)
    def process_once(envelope: dict[str, Any], handled: list[str]) -> None:
        event = Envelope.model_validate(envelope)
        logger.append_keys(tenant_id=event.tenant_id, event_id=event.id, event_type=event.type)
        with tenant_scope(event.tenant_id):
            spec.handler(event)
        handled.append(event.id)  # the effects are done, whether or not recording them succeeds

    def process_record(record: SQSRecord) -> None:
        handled: list[str] = []
        delivery = Delivery(int(record.attributes.approximate_receive_count), spec.max_receive_count)
        try:
            with _delivering(delivery):
                process_once(envelope=json.loads(record.body)["detail"], handled=handled)
        except IdempotencyPersistenceLayerError:
            if not handled:
                raise
            logger.warning("event handled, but not recorded as processed", exc_info=True)
            metrics.add_metric("EventsNotRecorded", MetricUnit.Count, 1)

    return sqs_batch_handler("consumer", spec.name, process_record, counted="Events",
                             on_invoke=config.register_lambda_context)
