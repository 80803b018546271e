"""A task consumer: an SQS batch of task bodies handed to the task's handler at once, partial batch
failures. No idempotency record: a task's handler is idempotent by itself (see TaskSpec)."""

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.observability import logger, metrics
from atrium.kernel.runtime.observed import observed
from atrium.kernel.runtime.sqs_batch import Handler
from atrium.kernel.tasks import TaskSpec


def _body(record: dict[str, Any], spec: TaskSpec) -> dict[str, Any] | None:
    try:
        body = json.loads(record["body"])
    except ValueError:
        body = None
    if not isinstance(body, dict) or (spec.tenant_bound and not isinstance(body.get("tenant_id"), str)):
        logger.error("task body is not a task; it goes to the DLQ", extra={"sqs_message_id": record["messageId"]})
        return None
    return body


def task_handler(spec: TaskSpec) -> Handler:
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        records = event["Records"]
        parsed = [(record["messageId"], _body(record, spec)) for record in records]
        valid = [(message_id, body) for message_id, body in parsed if body is not None]
        failed_positions = spec.handler([body for _, body in valid]) if valid else set()
        failed = [message_id for message_id, body in parsed if body is None]
        failed += [valid[position][0] for position in sorted(failed_positions)]
        metrics.add_metric("TasksFailed", MetricUnit.Count, len(failed))
        metrics.add_metric("TasksProcessed", MetricUnit.Count, len(records) - len(failed))
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}

    return observed("task", spec.name, handler, emits_metrics=True)
