"""Powertools Logger, Tracer and Metrics, created once per process.

Metrics are dimensioned by context and operation, never by tenant (cardinality and cost).
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "atrium"
NAMESPACE = "Atrium"

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


def function_dimensions(kind: str, name: str) -> dict[str, str]:
    """The dimensions of the metrics a function puts (``runtime.observed``): how an alarm names them."""
    return {"function_kind": kind, "function_name": name, "service": SERVICE}


def bind_request(*, tenant_id: str | None, principal_id: str | None, correlation_id: str | None) -> None:
    """Put the caller on every log line of this request (secrets never go here): keys of this thread and the tasks
    it starts, never of the whole process (``kernel/runtime/observed.py``)."""
    logger.thread_safe_append_keys(tenant_id=tenant_id, principal_id=principal_id)
    if correlation_id:
        logger.thread_safe_append_keys(correlation_id=correlation_id)
