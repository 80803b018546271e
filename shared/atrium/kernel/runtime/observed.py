"""Powertools around every Lambda handler: Lambda context and correlation id on each log line and an X-Ray
segment; handlers that emit EMF metrics also flush them per invocation, dimensioned by the function kind and name
(never by tenant).

An invocation's log keys are the invoking thread's own (Powertools' thread-safe keys, kept in a context variable),
not the logger's: the local stack runs consumers on a worker thread beside the API's, and the keys of one must not
appear on the other's lines. Each invocation starts from no keys.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.jmespath_utils import query
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.observability import function_dimensions, logger, metrics, tracer

Result = TypeVar("Result")
Handler = Callable[[dict[str, Any], LambdaContext], Result]
HTTP_CORRELATION = correlation_paths.API_GATEWAY_HTTP
_cold = True


def _bind_invocation(kind: str, name: str, event: dict[str, Any], context: LambdaContext,
                     correlation_path: str | None) -> None:
    global _cold
    logger.thread_safe_clear_keys()
    logger.thread_safe_append_keys(function_kind=kind, function_name=name, cold_start=_cold,
                                   function_request_id=getattr(context, "aws_request_id", None))
    _cold = False
    if correlation_path and (correlation_id := query(envelope=correlation_path, data=event)):
        logger.thread_safe_append_keys(correlation_id=correlation_id)


def observed(kind: str, name: str, handler: Handler[Result], *, correlation_path: str | None = None,
             emits_metrics: bool = False) -> Handler[Result]:
    def invoke(event: dict[str, Any], context: LambdaContext) -> Result:
        _bind_invocation(kind, name, event, context, correlation_path)
        return handler(event, context)

    traced: Handler[Result] = tracer.capture_lambda_handler(invoke, capture_response=False)
    if not emits_metrics:
        return traced

    def measured(event: dict[str, Any], context: LambdaContext) -> Result:
        # The invocation's dimensions, not process-wide defaults: the local stack runs every consumer in one
        # process, and metrics switched off are never flushed, so each invocation starts from none.
        metrics.clear_metrics()
        for dimension, value in function_dimensions(kind, name).items():
            metrics.add_dimension(dimension, value)
        try:
            return traced(event, context)
        finally:
            if metrics.metric_set:  # flushing none only warns
                metrics.flush_metrics()

    return measured
