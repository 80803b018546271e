"""The Lambda handler of a consumer that takes its messages one at a time: an SQS batch, one record at a time,
partial batch failures (only the failed records go back to the queue), and how many records failed and
succeeded as metrics."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.observability import metrics
from atrium.kernel.runtime.observed import observed

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def sqs_batch_handler(name: str, process_record: Callable[[SQSRecord], None], *, counted: str,
                      on_invoke: Callable[[LambdaContext], None] | None = None) -> Handler:
    """``counted`` names the metrics: ``<counted>Failed`` and ``<counted>Processed``."""
    processor = BatchProcessor(event_type=EventType.SQS)

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if on_invoke is not None:
            on_invoke(context)
        response = process_partial_response(event=event, record_handler=process_record, processor=processor,
                                            context=context)
        failed = len(response["batchItemFailures"])
        metrics.add_metric(f"{counted}Failed", MetricUnit.Count, failed)
        metrics.add_metric(f"{counted}Processed", MetricUnit.Count, len(event["Records"]) - failed)
        return dict(response)

    return observed("consumer", name, handler, emits_metrics=True)
