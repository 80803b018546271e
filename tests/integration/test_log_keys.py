"""An invocation's log keys are its thread's own: a consumer running on the local stack's worker thread puts its
tenant and event on its own lines, never on the API's, and every invocation starts from no keys."""

import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.observability import bind_request, logger
from atrium.kernel.runtime.observed import observed
from atrium_local.lambda_context import LocalContext

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def lines() -> Iterator[Lines]:
    """The logger's lines so far, formatted as Powertools writes them, in the thread that logged them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger._logger.addHandler(handler)  # Powertools keeps its stdlib logger there
    level = logger.log_level
    logger.setLevel("INFO")  # the suite logs warnings only
    logger.thread_safe_clear_keys()  # this thread starts as a request's does: an earlier test may have invoked here
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.thread_safe_clear_keys()
        logger.setLevel(level)
        logger._logger.removeHandler(handler)


def _context(name: str) -> LambdaContext:
    return cast(LambdaContext, LocalContext(name))


def _consumer_line(event: dict[str, Any], context: Any) -> None:
    logger.thread_safe_append_keys(tenant_id=event["tenant_id"], event_id=event["id"])
    logger.info("consumer working")
    started, api_logged = event["started"], event["api_logged"]
    started.set()
    api_logged.wait(5)


def test_a_consumers_keys_stay_on_its_thread(lines: Lines) -> None:
    consumer = observed("consumer", "demo.consume", _consumer_line)
    event: dict[str, Any] = {"tenant_id": "ten_worker", "id": "evt_1", "started": threading.Event(),
                             "api_logged": threading.Event()}
    worker = threading.Thread(target=consumer, args=(event, _context("demo.consume")))
    worker.start()
    assert event["started"].wait(5)
    bind_request(tenant_id="ten_api", principal_id="usr_api", correlation_id="req_api")
    logger.info("api answering")
    event["api_logged"].set()
    worker.join(5)

    by_message = {line["message"]: line for line in lines()}
    worker_line, api_line = by_message["consumer working"], by_message["api answering"]
    assert (worker_line["tenant_id"], worker_line["event_id"], worker_line["function_name"]) == (
        "ten_worker", "evt_1", "demo.consume")
    assert api_line["tenant_id"] == "ten_api" and api_line["correlation_id"] == "req_api"
    assert "event_id" not in api_line and "function_name" not in api_line


def test_every_invocation_starts_from_no_keys(lines: Lines) -> None:
    def first(event: dict[str, Any], context: Any) -> None:
        logger.thread_safe_append_keys(tenant_id="ten_first", event_id="evt_first")

    def second(event: dict[str, Any], context: Any) -> None:
        logger.info("second invocation")

    observed("consumer", "demo.first", first)({}, _context("demo.first"))
    observed("consumer", "demo.second", second)({}, _context("demo.second"))

    (line,) = [line for line in lines() if line["message"] == "second invocation"]
    assert "tenant_id" not in line and "event_id" not in line and line["function_name"] == "demo.second"
