"""A task consumer: SQS batches of task bodies, partial batch failures. No idempotency record: a task's
handler is idempotent by itself (see TaskSpec)."""

import json

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from atrium.kernel.observability import logger
from atrium.kernel.runtime.sqs_batch import Handler, sqs_batch_handler
from atrium.kernel.tasks import TaskSpec
from atrium.kernel.tenancy import tenant_scope


def task_handler(spec: TaskSpec) -> Handler:
    def process_record(record: SQSRecord) -> None:
        body = json.loads(record.body)
        logger.append_keys(tenant_id=body["tenant_id"], sqs_message_id=record.message_id)
        with tenant_scope(body["tenant_id"]):
            spec.handler(body)

    return sqs_batch_handler("task", spec.name, process_record, counted="Tasks")
