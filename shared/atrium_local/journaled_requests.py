"""moto's server, with every request that changes what the local stack keeps journaled before it is answered.

A request is journaled whole (its WSGI environ and body) and replayed whole into a fresh moto, in the order moto
applied them: requests that change state are applied and journaled one at a time, so the journal's order is
moto's. Requests carry everything that makes them deterministic: DynamoDB writes their items, update expressions
and conditions (which re-evaluate the same in order), Secrets Manager its values and version ids (boto3 fills in
the client request token), S3 its objects. A request that failed is replayed and fails the same way.

Sessions (AssumeRole) are not kept, nor are messages in flight: SQS messages, and events and notifications
(PutEvents, Publish) that only become SQS messages. What they carried is re-derived (``docs/decisions.md``).
"""

import io
import json
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from werkzeug.wsgi import get_input_stream

from atrium_local.journal import Journal

WsgiApp = Any  # a WSGI application: (environ, start_response) -> iterable of bytes
READ_METHODS = ("GET", "HEAD", "OPTIONS")
READS = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "TransactGet", "Head")
_IN_FLIGHT = {"SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
              "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "PurgeQueue", "PutEvents", "Publish",
              "PublishBatch"}
# Credentials of a tenant's session (kernel/store/tenant_credentials.py): a restarted stack assumes them afresh.
_SESSIONS = {"AssumeRole"}


def action(environ: dict[str, Any], body: bytes) -> str | None:
    """The API action of a JSON (``X-Amz-Target``) or query (``Action=``) protocol request; None for REST."""
    if target := environ.get("HTTP_X_AMZ_TARGET"):
        return str(target).rsplit(".", 1)[-1]
    form = parse_qs(environ.get("QUERY_STRING", ""))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        form |= parse_qs(body.decode("utf-8", "replace"))
    return form["Action"][0] if "Action" in form else None


def changes_state(environ: dict[str, Any], body: bytes) -> bool:
    name = action(environ, body)
    if name is None:  # REST (S3, SES v2, Scheduler): what is not a read writes
        return environ["REQUEST_METHOD"] not in READ_METHODS
    return not name.startswith(READS) and name not in _IN_FLIGHT | _SESSIONS


def encode(environ: dict[str, Any], body: bytes) -> bytes:
    """The request's CGI variables (their values are strings) and its body."""
    variables = {name: value for name, value in environ.items() if name.isupper() and isinstance(value, str)}
    return json.dumps(variables).encode() + b"\n" + body


def decode(record: bytes) -> tuple[dict[str, Any], bytes]:
    variables, _, body = record.partition(b"\n")
    environ: dict[str, Any] = json.loads(variables)
    return environ | _with_body(body) | {
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": True,
        "wsgi.multiprocess": False, "wsgi.run_once": False}, body


def _with_body(body: bytes) -> dict[str, Any]:
    """The WSGI variables of a body read in full (a chunked upload is one body now)."""
    return {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}


def read_body(environ: dict[str, Any]) -> bytes:
    """The request's body, read in full; the environ is left to read it again from the start."""
    body = get_input_stream(environ).read()
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)
    environ |= _with_body(body)
    return body


def replay(app: WsgiApp, record: bytes) -> None:
    """Apply a journaled request to ``app``, its answer unread but for being complete."""
    environ, _ = decode(record)
    for _chunk in app(environ, lambda *_args: None):
        pass


class JournaledApp:
    """Wraps moto's WSGI app: a request that changes state is applied and journaled, under one lock, before its
    answer leaves."""

    def __init__(self, app: WsgiApp, journal: Journal) -> None:
        self._app, self._journal, self._lock = app, journal, threading.Lock()

    def compact(self, restart: Callable[[], Journal]) -> bool:
        """Unless nothing was journaled, ``restart`` (which snapshots moto and starts an empty journal) while no
        request changes state, and journal into what it answers from then on."""
        with self._lock:
            if self._journal.appended == 0:
                return False
            self._journal.close()
            self._journal = restart()
            return True

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] in READ_METHODS:
            return self._app(environ, start_response)  # type: ignore[no-any-return]
        body = read_body(environ)
        if not changes_state(environ, body):
            return self._app(environ, start_response)  # type: ignore[no-any-return]
        answered: list[Any] = []
        with self._lock:
            chunks = list(self._app(environ, lambda *args: answered.append(args)))
            self._journal.append(encode(environ, body))
        start_response(*answered[0])
        return chunks
