"""A feed consumer: SQS batches of SNS notifications, partial batch failures. No idempotency record: a
feed's handler is idempotent by itself (see FeedSpec)."""

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.events.feeds import FeedSpec, SnsNotification
from atrium.kernel.observability import logger, metrics
from atrium.kernel.runtime.observed import observed


def feed_handler(spec: FeedSpec) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    def process_record(record: SQSRecord) -> None:
        notification = SnsNotification.model_validate(json.loads(record.body))
        logger.append_keys(sns_message_id=notification.message_id)
        spec.handler(notification)

    processor = BatchProcessor(event_type=EventType.SQS)

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        response = process_partial_response(event=event, record_handler=process_record, processor=processor,
                                            context=context)
        failed = len(response["batchItemFailures"])
        metrics.add_metric("NotificationsFailed", MetricUnit.Count, failed)
        metrics.add_metric("NotificationsProcessed", MetricUnit.Count, len(event["Records"]) - failed)
        return dict(response)

    return observed("feed", spec.name, handler, emits_metrics=True)
