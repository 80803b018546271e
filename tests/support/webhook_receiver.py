"""A webhook receiver on this machine, for delivery tests: records every request and answers from a script."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from atrium.kernel.config import settings


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay_seconds: float = 0.0


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # Answers in order; when they run out, ``default`` answers.
    script: list[Answer] = field(default_factory=list)
    default: Answer = field(default_factory=Answer)

    def answer(self) -> Answer:
        return self.script.pop(0) if self.script else self.default


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            answer = receiver.answer()
            time.sleep(answer.delay_seconds)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(answer.body)))
            try:
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up waiting (a delivery's timeout): nobody is left to answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def listening() -> Iterator[Receiver]:
    """A receiver on a free loopback port, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Receiver("")))
    receiver = Receiver(f"http://127.0.0.1:{server.server_port}/hooks")
    server.RequestHandlerClass = _handler(receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """A receiver on loopback, which the SSRF guard lets through only because this fixture allows it, as the
    local stack does."""
    monkeypatch.setattr(settings(), "webhook_allow_http", True)
    monkeypatch.setattr(settings(), "webhook_allowed_networks", "127.0.0.0/8")
    with listening() as started:
        yield started
