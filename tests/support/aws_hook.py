"""Record every AWS API call the process makes: service, operation, time spent and what DynamoDB will bill.

boto3 and PynamoDB both end in ``botocore.client.BaseClient._make_api_call``. PynamoDB builds its own botocore
session, so an event hook registered on boto3's session would miss its calls; wrapping that one method sees
every call of every client, whichever session made it, on any thread.

The hook keeps references to the request parameters and the parsed response and reads them only when asked
(``transact_items``, ``consistent_read``, ``touched``): the timed benchmarks pay for an append, nothing more.
"""

import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient

from tests.support.item_size import item_size

_METHOD = "_make_api_call"  # private, hence not in botocore-stubs: reached through getattr/setattr
TIMES = "\u00d7"  # the multiplication sign
TRANSACT_WRITE_ACTIONS = ("Put", "Update", "Delete", "ConditionCheck")


@dataclass(frozen=True)
class ItemTouch:
    """One item a DynamoDB call reads or writes."""

    action: str  # Put, Update, Delete, ConditionCheck (writes); Get, Query (reads)
    size: int | None  # bytes as DynamoDB sizes items, when the request or response carries the whole item
    attributes: tuple[str, ...] = ()  # the attribute names of a written item (which indexes it lands in)


@dataclass(frozen=True)
class AwsCall:
    service: str
    operation: str
    seconds: float  # serialization, the HTTP round trip to the endpoint (moto here) and parsing
    thread: str = ""  # the thread that made the call (the event loop's, or a threadpool worker's)
    params: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    response: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def transact_items(self) -> int | None:
        """How many actions a TransactWriteItems or TransactGetItems carries."""
        items = self.params.get("TransactItems")
        return len(items) if isinstance(items, list) else None

    @property
    def consistent_read(self) -> bool | None:
        value = self.params.get("ConsistentRead")
        return bool(value) if value is not None else None

    def touched(self) -> list[ItemTouch]:
        """The items the call reads or writes, sized where the request or the response holds them."""
        if self.service != "dynamodb":
            return []
        response = self.response or {}
        match self.operation:
            case "TransactWriteItems":
                return [_written(action, body) for entry in self.params.get("TransactItems", [])
                        for action, body in entry.items() if action in TRANSACT_WRITE_ACTIONS]
            case "PutItem":
                return [_written("Put", self.params)]
            case "UpdateItem" | "DeleteItem":
                return [_written(self.operation.removesuffix("Item"), self.params)]
            case "BatchWriteItem":
                return [_written("Put" if "PutRequest" in request else "Delete",
                                 request.get("PutRequest") or request.get("DeleteRequest") or {})
                        for requests in self.params.get("RequestItems", {}).values() for request in requests]
            case "GetItem":
                item = response.get("Item")
                return [ItemTouch("Get", item_size(item) if item else 0)]
            case "TransactGetItems":
                return [ItemTouch("Get", item_size(entry["Item"]) if entry.get("Item") else 0)
                        for entry in response.get("Responses", [])]
            case "Query" | "Scan":
                return [ItemTouch(self.operation, sum(item_size(item) for item in response.get("Items", [])))]
            case _:
                return []


def _written(action: str, body: Mapping[str, Any]) -> ItemTouch:
    item = body.get("Item")
    if isinstance(item, Mapping):
        return ItemTouch(action, item_size(item), tuple(item))
    return ItemTouch(action, None)  # an update, delete or condition check: the stored item's size is unknown here


@contextmanager
def recording_aws_calls() -> Iterator[list[AwsCall]]:
    calls: list[AwsCall] = []
    original = getattr(BaseClient, _METHOD)

    def recording(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        started, response = time.perf_counter(), None
        try:
            response = original(client, operation_name, api_params)
            return response
        finally:
            calls.append(AwsCall(client.meta.service_model.service_name, operation_name,
                                 time.perf_counter() - started, threading.current_thread().name, api_params,
                                 response))

    setattr(BaseClient, _METHOD, recording)
    try:
        yield calls
    finally:
        setattr(BaseClient, _METHOD, original)


def describe(operations: Iterable[str]) -> str:
    """Each operation once with its count (``GetItem`` TIMES ``2``), in the order first made; ``-`` for none."""
    counts = Counter(operations)
    return " ".join(f"{operation}{TIMES}{count}" for operation, count in counts.items()) or "-"
