"""Runners: functions a context calls and waits for, each in a Lambda function of its own, declared once in its
context's ``runners.py`` (``RUNNERS``). A runner holds only its own grants, so work that must not reach what its
caller reaches (a tenant's plugin, say) runs there, and the caller hands it what it needs in the request.

``invoke`` calls a runner with a JSON request and returns its JSON answer: through Lambda's ``Invoke``
(``RequestResponse``) where ``runner_function_prefix`` names the deployed functions, else in this process with the
request and answer taken through JSON the same way (the local stack and the tests). Callers hold
``Grant.RUNNERS_INVOKE``.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from atrium.kernel.config import settings
from atrium.kernel.consumers import resource_name
from atrium.kernel.grants import Grant
from atrium.kernel.observability import logger

RunnerHandler = Callable[[dict[str, Any]], dict[str, Any]]


class RunnerFailed(Exception):
    """The runner raised (its function's error), or its answer was not JSON."""


@dataclass(frozen=True, kw_only=True)
class RunnerSpec:
    name: str
    description: str
    handler: RunnerHandler
    grants: frozenset[Grant] = field(default_factory=frozenset)
    timeout_seconds: int = 30
    # Dependency groups (pyproject.toml) this function alone needs; each ships as a layer of its own.
    layers: frozenset[str] = field(default_factory=frozenset)

    @property
    def resource_name(self) -> str:
        return resource_name(self.name)


def function_name(prefix: str, spec: RunnerSpec) -> str:
    """The deployed function's name: callers find it from the prefix alone, as task queues are found."""
    return f"{prefix}{spec.resource_name}"


# Longer than any runner may run, and no retry: a runner's work (a plugin's HTTP calls, its store) is not repeated
# behind its caller's back.
RUNNER_READ_TIMEOUT_SECONDS = 15 * 60


@cache
def _lambda() -> Any:
    return boto3.client("lambda", region_name=settings().region, config=Config(
        read_timeout=RUNNER_READ_TIMEOUT_SECONDS, connect_timeout=5, retries={"total_max_attempts": 1}))


def invoke(spec: RunnerSpec, request: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(request)
    prefix = settings().runner_function_prefix
    if not prefix:
        try:
            answer: dict[str, Any] = json.loads(json.dumps(spec.handler(json.loads(body))))
        except Exception as error:  # as Lambda answers a function's error: the caller sees the same either way
            logger.exception("runner failed", extra={"runner": spec.name})
            raise RunnerFailed(f"runner {spec.name} failed: {type(error).__name__}") from error
        return answer
    try:
        reply = _lambda().invoke(FunctionName=function_name(prefix, spec), InvocationType="RequestResponse",
                                 Payload=body.encode())
    except (BotoCoreError, ClientError) as error:  # throttled, too large, unreachable: the runner did not run
        raise RunnerFailed(f"runner {spec.name} could not be invoked: {type(error).__name__}") from error
    payload = reply["Payload"].read()
    if reply.get("FunctionError"):
        raise RunnerFailed(f"runner {spec.name} failed: {payload[:500]!r}")
    try:
        found: dict[str, Any] = json.loads(payload)
    except ValueError as error:
        raise RunnerFailed(f"runner {spec.name} answered no JSON") from error
    return found
