"""Powertools around every Lambda handler: Lambda context and correlation id on each log
line and an X-Ray segment; handlers that emit EMF metrics also flush them per invocation,
dimensioned by the function kind and name (never by tenant)."""

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.observability import logger, metrics, tracer

Result = TypeVar("Result")
Handler = Callable[[dict[str, Any], LambdaContext], Result]
HTTP_CORRELATION = correlation_paths.API_GATEWAY_HTTP


def observed(kind: str, name: str, handler: Handler[Result], *, correlation_path: str | None = None,
             emits_metrics: bool = False) -> Handler[Result]:
    def invoke(event: dict[str, Any], context: LambdaContext) -> Result:
        logger.append_keys(function_kind=kind, function_name=name)
        return handler(event, context)

    traced = tracer.capture_lambda_handler(invoke, capture_response=False)
    logged = logger.inject_lambda_context(traced, correlation_id_path=correlation_path, clear_state=True)
    if not emits_metrics:
        return logged
    # A Lambda process runs one handler, so its dimensions are set once.
    metrics.set_default_dimensions(function_kind=kind, function_name=name)
    return metrics.log_metrics(logged)
