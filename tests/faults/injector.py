"""Make chosen AWS calls fail the way AWS fails them, deterministically.

Call faults replace one HTTP attempt inside botocore's retry loop (``Endpoint._do_get_response``),
so the SDK's own retries see them and may absorb them, as in AWS. A fault is injected either
instead of sending the request (request lost: the service never saw it) or after the service
processed it (``response_lost=True``: the effect happened, the caller sees an error).
Entry faults answer a PutEvents call with ``ErrorCode`` for chosen entries, which are not
published; that is a successful response, so botocore never retries it.

    faults = FaultInjector(seed=7)
    with faults.installed():
        faults.fail("dynamodb", "TransactWriteItems", READ_TIMEOUT, attempts={1}, response_lost=True)
        faults.fail("events", "PutEvents", THROTTLING, rate=0.3)
        ...
    faults.attempts["dynamodb.TransactWriteItems"]   # HTTP attempts, SDK retries included

Both hooks are global (class attributes), so they reach every client, PynamoDB's included.
botocore's backoff sleeps are recorded in ``backoffs`` instead of slept.
"""

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from random import Random
from types import SimpleNamespace
from typing import Any, NamedTuple, NoReturn
from unittest import mock

import botocore.endpoint
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.client import BaseClient
from botocore.endpoint import Endpoint, convert_to_response_dict
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError
from botocore.model import OperationModel

Outcome = AWSResponse | Exception
# Error types are namespaced as each service sends them; parsers keep what follows the '#'.
_NAMESPACES = {"dynamodb": "com.amazonaws.dynamodb.v20120810"}


class ProcessKilled(BaseException):
    """The process died here: no ``except Exception``, retry or cleanup runs after it."""


class Fault(ABC):
    """What the caller gets instead of the service's answer."""

    @abstractmethod
    def outcome(self, service: str, request: AWSPreparedRequest) -> Outcome: ...


@dataclass(frozen=True)
class ErrorResponse(Fault):
    """An error response as the service sends it (JSON protocols), parsed by botocore as usual."""

    code: str
    status: int = 400

    def outcome(self, service: str, request: AWSPreparedRequest) -> Outcome:
        body = {"__type": f"{_NAMESPACES.get(service, f'com.amazonaws.{service}')}#{self.code}"} | self.details(request)
        headers = {"x-amzn-errortype": self.code, "x-amzn-requestid": "injected-fault",
                   "content-type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, self.status, headers, _Body(json.dumps(body).encode()))  # type: ignore[arg-type]

    def details(self, request: AWSPreparedRequest) -> dict[str, Any]:
        return {"message": "injected fault"}


@dataclass(frozen=True)
class TransactionConflict(ErrorResponse):
    """DynamoDB cancelling a TransactWriteItems because another transaction holds item ``item``."""

    code: str = "TransactionCanceledException"
    item: int = 0

    def details(self, request: AWSPreparedRequest) -> dict[str, Any]:
        assert isinstance(request.body, bytes | str)
        count = len(json.loads(request.body)["TransactItems"])
        reasons = [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
                   if i == self.item else {"Code": "None"} for i in range(count)]
        codes = ", ".join(reason["Code"] for reason in reasons)
        return {"Message": f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
                "CancellationReasons": reasons}


@dataclass(frozen=True)
class Timeout(Fault):
    error: type[ReadTimeoutError] | type[ConnectTimeoutError]

    def outcome(self, service: str, request: AWSPreparedRequest) -> Outcome:
        return self.error(endpoint_url=request.url)


@dataclass(frozen=True)
class Kill(Fault):
    def outcome(self, service: str, request: AWSPreparedRequest) -> NoReturn:
        raise ProcessKilled(f"killed during a {service} call")


THROTTLED = ErrorResponse("ProvisionedThroughputExceededException")  # DynamoDB
THROTTLING = ErrorResponse("ThrottlingException")  # EventBridge and most services
TOO_MANY_REQUESTS = ErrorResponse("TooManyRequestsException", 429)  # SES v2
INTERNAL_ERROR = ErrorResponse("InternalServerError", 500)
UNAVAILABLE = ErrorResponse("ServiceUnavailable", 503)
TRANSACTION_CONFLICT = TransactionConflict()
READ_TIMEOUT = Timeout(ReadTimeoutError)
CONNECT_TIMEOUT = Timeout(ConnectTimeoutError)
KILL = Kill()


class Injection(NamedTuple):
    call: str
    number: int  # the rule's nth matching attempt (call faults) or PutEvents call (entry faults)
    fault: str
    response_lost: bool


@dataclass
class CallRule:
    service: str
    operation: str
    fault: Fault
    attempts: frozenset[int]
    rate: float
    response_lost: bool
    seen: int = 0

    def fires(self, service: str, operation: str, rng: Random) -> bool:
        if (service, operation) != (self.service, self.operation):
            return False
        self.seen += 1
        return self.seen in self.attempts or (self.rate > 0 and rng.random() < self.rate)


@dataclass
class EntryRule:
    calls: frozenset[int]
    entries: frozenset[int]
    code: str
    seen: int = 0

    def counts(self) -> bool:
        self.seen += 1
        return self.seen in self.calls


@dataclass
class FaultInjector:
    seed: int = 0
    attempts: Counter[str] = field(default_factory=Counter)
    injected: list[Injection] = field(default_factory=list)
    backoffs: list[float] = field(default_factory=list)
    _call_rules: list[CallRule] = field(default_factory=list)
    _entry_rules: list[EntryRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = Random(self.seed)

    def fail(self, service: str, operation: str, fault: Fault, *, attempts: Iterable[int] = (), rate: float = 0.0,
             response_lost: bool = False) -> CallRule:
        """Fail the given attempts (1-based, counted from now, SDK retries included) and/or a seeded
        fraction of them. ``response_lost``: the service processes the request first."""
        rule = CallRule(service, operation, fault, frozenset(attempts), rate, response_lost)
        self._call_rules.append(rule)
        return rule

    def reject_entries(self, entries: Iterable[int], *, calls: Iterable[int] = (1,),
                       code: str = "InternalFailure") -> EntryRule:
        """In the given PutEvents calls (1-based, counted from now), entries at these indexes fail with
        ``code`` and are not published; the others are."""
        rule = EntryRule(frozenset(calls), frozenset(entries), code)
        self._entry_rules.append(rule)
        return rule

    @contextmanager
    def installed(self) -> Iterator["FaultInjector"]:
        with ExitStack() as stack:
            stack.enter_context(mock.patch.object(Endpoint, "_do_get_response", self._wrap_attempt(
                getattr(Endpoint, "_do_get_response"))))  # noqa: B009 (not in the stubs)
            stack.enter_context(mock.patch.object(BaseClient, "_make_api_call", self._wrap_put_events(
                getattr(BaseClient, "_make_api_call"))))  # noqa: B009 (not in the stubs)
            stack.enter_context(mock.patch.object(botocore.endpoint, "time", SimpleNamespace(
                sleep=self.backoffs.append)))
            yield self

    def _wrap_attempt(self, send: Any) -> Any:
        def attempt(endpoint: Endpoint, request: AWSPreparedRequest, operation_model: OperationModel,
                    context: dict[str, Any]) -> Any:
            service, operation = operation_model.service_model.service_name, operation_model.name
            self.attempts[f"{service}.{operation}"] += 1
            fired = [rule for rule in self._call_rules if rule.fires(service, operation, self._rng)]
            if not fired:
                return send(endpoint, request, operation_model, context)
            rule = fired[0]
            self.injected.append(Injection(f"{service}.{operation}", rule.seen, repr(rule.fault), rule.response_lost))
            if rule.response_lost:
                send(endpoint, request, operation_model, context)
            outcome = rule.fault.outcome(service, request)
            if isinstance(outcome, Exception):
                return None, outcome
            return (outcome, _parse(endpoint, operation_model, outcome)), None

        return attempt

    def _wrap_put_events(self, make_api_call: Any) -> Any:
        def call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if (client.meta.service_model.service_name, operation) != ("events", "PutEvents"):
                return make_api_call(client, operation, params)
            entries = params["Entries"]
            rules = [rule for rule in self._entry_rules if rule.counts()]
            failing = {i: rule.code for rule in rules for i in rule.entries if i < len(entries)}
            if not failing:
                return make_api_call(client, operation, params)
            kept = [entry for i, entry in enumerate(entries) if i not in failing]
            response = make_api_call(client, operation, params | {"Entries": kept}) if kept else {"Entries": []}
            published = iter(response["Entries"])
            results = [{"ErrorCode": failing[i], "ErrorMessage": "injected fault"} if i in failing
                       else next(published) for i in range(len(entries))]
            self.injected.extend(Injection("events.PutEvents", rules[0].seen, f"entry {i}: {code}", False)
                                 for i, code in sorted(failing.items()))
            return response | {"Entries": results,
                               "FailedEntryCount": sum("ErrorCode" in result for result in results)}

        return call


class _Body:
    """The raw stream an AWSResponse reads its content from."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


def _parse(endpoint: Any, operation_model: OperationModel, response: AWSResponse) -> dict[str, Any]:
    """Parse an injected response exactly as botocore parses the service's (modeled error fields too)."""
    response_dict = convert_to_response_dict(response, operation_model)
    parser = endpoint._response_parser_factory.create_parser(operation_model.service_model.resolved_protocol)
    parsed: dict[str, Any] = parser.parse(response_dict, operation_model.output_shape)
    endpoint._add_modeled_error_fields(response_dict, parsed, operation_model, parser)
    return parsed
