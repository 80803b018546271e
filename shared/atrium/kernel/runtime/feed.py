"""A feed consumer: SQS batches of SNS notifications, partial batch failures. No idempotency record: a
feed's handler is idempotent by itself (see FeedSpec)."""

import json

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from atrium.kernel.events.feeds import FeedSpec, SnsNotification
from atrium.kernel.observability import logger
from atrium.kernel.runtime.sqs_batch import Handler, sqs_batch_handler


def feed_handler(spec: FeedSpec) -> Handler:
    def process_record(record: SQSRecord) -> None:
        notification = SnsNotification.model_validate(json.loads(record.body))
        logger.append_keys(sns_message_id=notification.message_id)
        spec.handler(notification)

    return sqs_batch_handler("feed", spec.name, process_record, counted="Notifications")
