"""Record every AWS API call the process makes: service, operation and time spent.

boto3 and PynamoDB both end in ``botocore.client.BaseClient._make_api_call``. PynamoDB builds its own botocore
session, so an event hook registered on boto3's session would miss its calls; wrapping that one method sees
every call of every client, whichever session made it, on any thread.
"""

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.client import BaseClient

_METHOD = "_make_api_call"  # private, hence not in botocore-stubs: reached through getattr/setattr
TIMES = "\u00d7"  # the multiplication sign


@dataclass(frozen=True)
class AwsCall:
    service: str
    operation: str
    seconds: float  # serialization, the HTTP round trip to the endpoint (moto here) and parsing


@contextmanager
def recording_aws_calls() -> Iterator[list[AwsCall]]:
    calls: list[AwsCall] = []
    original = getattr(BaseClient, _METHOD)

    def recording(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return original(client, operation_name, api_params)
        finally:
            calls.append(AwsCall(client.meta.service_model.service_name, operation_name,
                                 time.perf_counter() - started))

    setattr(BaseClient, _METHOD, recording)
    try:
        yield calls
    finally:
        setattr(BaseClient, _METHOD, original)


def describe(operations: Iterable[str]) -> str:
    """Each operation once with its count (``GetItem`` TIMES ``2``), in the order first made; ``-`` for none."""
    counts = Counter(operations)
    return " ".join(f"{operation}{TIMES}{count}" for operation, count in counts.items()) or "-"
