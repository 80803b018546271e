"""moto's server rings the worker's alarm for requests that may give it work (at once, or when a delayed message
becomes visible), after moto applied them, and for nothing else."""

import io
import json
from collections.abc import Iterable
from typing import Any

import pytest

from atrium_local.alarm import Alarm
from atrium_local.wakeups import RingingApp, ring_delays


def _json(target: str, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    return {"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": target}, json.dumps(request).encode()


def _rest(method: str) -> tuple[dict[str, Any], bytes]:
    return {"REQUEST_METHOD": method, "PATH_INFO": "/schedules/task-1"}, b""


def _query(action: str) -> tuple[dict[str, Any], bytes]:
    return {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded"}, f"Action={action}".encode()


@pytest.mark.parametrize(("request_", "delays"), [
    (_json("DynamoDB_20120810.PutItem", {"TableName": "atrium"}), {0.0}),
    (_json("DynamoDB_20120810.TransactWriteItems", {}), {0.0}),
    (_json("AWSEvents.PutEvents", {"Entries": [{}]}), {0.0}),
    (_query("Publish"), {0.0}),
    (_rest("POST"), {0.0}),  # Scheduler: a new delayed task
    (_json("AmazonSQS.SendMessage", {"QueueUrl": "q"}), {0.0}),
    (_json("AmazonSQS.SendMessageBatch", {"Entries": [{"DelaySeconds": 0}, {"DelaySeconds": 300}]}), {0.0, 300.0}),
    (_json("AmazonSQS.ChangeMessageVisibility", {"VisibilityTimeout": 1}), {1.0}),
    (_json("DynamoDB_20120810.GetItem", {}), set()),
    (_json("DynamoDBStreams_20120810.GetRecords", {}), set()),
    (_json("AmazonSQS.ReceiveMessage", {}), set()),
    (_json("AmazonSQS.DeleteMessage", {}), set()),
    (_query("AssumeRole"), set()),
    (_rest("GET"), set()),
])
def test_what_rings_and_when(request_: tuple[dict[str, Any], bytes], delays: set[float]) -> None:
    assert ring_delays(*request_) == delays


def test_the_alarm_rings_once_moto_has_applied_the_write_it_read_whole() -> None:
    alarm, seen = Alarm(), []

    def moto(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.append((alarm.ringing(), environ["wsgi.input"].read()))
        start_response("200 OK", [])
        return [b"{}"]

    environ, body = _json("DynamoDB_20120810.PutItem", {"TableName": "atrium"})
    environ |= {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
    assert list(RingingApp(moto, alarm)(environ, lambda *args: None)) == [b"{}"]
    assert seen == [(False, body)] and alarm.ringing()  # moto read the whole body, then the alarm rang
