"""moto's server rings the worker's alarm when it handled a request that may give the worker work: a write (a
new stream record, message, event or schedule) at once, a message delayed or hidden for a while when it becomes
visible. Reads and the worker's own receiving and deleting ring nothing, so an idle stack sleeps."""

import json
from collections.abc import Iterable
from typing import Any

from atrium_local.alarm import Alarm
from atrium_local.journaled_requests import READ_METHODS, READS, WsgiApp, action, read_body

# Polling the queues and settling what was polled: no new work.
_QUIET = {"ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "PurgeQueue", "AssumeRole"}
# SQS actions whose messages become visible later: the parameter saying when, in seconds.
_LATER = {"SendMessage": "DelaySeconds", "SendMessageBatch": "DelaySeconds",
          "ChangeMessageVisibility": "VisibilityTimeout", "ChangeMessageVisibilityBatch": "VisibilityTimeout"}


def ring_delays(environ: dict[str, Any], body: bytes) -> set[float]:
    """In how many seconds the worker should look for work because of this request (none: it need not)."""
    name = action(environ, body)
    if name is None:  # REST (S3, SES v2, Scheduler): what is not a read writes
        return set() if environ["REQUEST_METHOD"] in READ_METHODS else {0.0}
    if name.startswith(READS) or name in _QUIET:
        return set()
    if name not in _LATER:
        return {0.0}
    try:  # SQS speaks JSON to boto3; another client's request rings at once
        request = json.loads(body)
    except ValueError:
        return {0.0}
    entries = request.get("Entries", [request])
    return {float(entry.get(_LATER[name], 0)) for entry in entries} or {0.0}


class RingingApp:
    """Wraps moto's WSGI app: once a request is applied, rings ``alarm`` as ``ring_delays`` says."""

    def __init__(self, app: WsgiApp, alarm: Alarm) -> None:
        self._app, self._alarm = app, alarm

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] in READ_METHODS:
            return self._app(environ, start_response)  # type: ignore[no-any-return]
        delays = ring_delays(environ, read_body(environ))
        answer = self._app(environ, start_response)  # moto has applied the request when it answers
        for delay in delays:
            self._alarm.ring(delay)
        return answer  # type: ignore[no-any-return]
