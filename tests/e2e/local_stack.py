"""The local stack as `make dev` starts it, for tests over real HTTP: a fresh one per test (fixture ``stack``), its
data in a folder of its own (a temporary one unless given)."""

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.at_rest import EMAIL, stream_records, table_items

ROOT = Path(__file__).resolve().parents[2]
ATRIUM = Path(sys.executable).parent / "atrium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalStack:
    def __init__(self, api_port: int | None = None, moto_port: int | None = None, *, data: Path | None = None,
                 args: tuple[str, ...] = (), settings: dict[str, str] | None = None) -> None:
        self.api_port, self.moto_port = api_port or free_port(), moto_port or free_port()
        self.base = f"http://127.0.0.1:{self.api_port}"
        self.stripe = f"http://127.0.0.1:{free_port()}"  # the stack's Stripe fake
        self.data = data or Path(tempfile.mkdtemp(prefix="atrium-data-"))
        self.printed = ""  # what ``read_until`` has read of its output so far
        # Not this process's AWS or Stripe (its in-process fake, when a test here used one): the stack's own.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ATRIUM_STRIPE_"))}
        env |= {"ATRIUM_PORT": str(self.api_port), "ATRIUM_MOTO_PORT": str(self.moto_port),
                "ATRIUM_STRIPE_PORT": self.stripe.rsplit(":", 1)[1]}  # stacks run side by side in the suite
        env |= settings or {}
        # A session of its own: a test may kill the stack as a crash would, the whole process group at once.
        self.process = subprocess.Popen([str(ATRIUM), "dev", "--data", str(self.data), *args], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        # One client for all the polls: making one costs tens of milliseconds (its TLS context).
        with httpx.Client(timeout=1) as http:
            while time.monotonic() < deadline:
                assert self.process.poll() is None, self.process.stdout.read() if self.process.stdout else ""
                try:
                    if http.get(f"{self.base}/v1/health").status_code == 200:
                        return
                except httpx.TransportError:
                    time.sleep(0.2)
        raise TimeoutError("the local stack did not start")

    def read_until(self, marker: str, timeout: float = 60) -> str:
        """What the stack printed up to the first line holding ``marker`` (its output is read no further)."""
        lines: queue.Queue[str] = queue.Queue()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                lines.put(line)
                if marker in line:
                    return

        threading.Thread(target=read, daemon=True).start()
        printed, deadline = "", time.monotonic() + timeout
        while marker not in printed:
            try:
                printed += lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise TimeoutError(f"the stack printed no {marker!r}:\n{printed}") from None
        self.printed += printed
        return printed

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=30)
        return self.process.returncode, output

    def kill(self) -> None:
        """SIGKILL the stack's process group: nothing gets to flush or close."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate(timeout=30)


def emails_readable_at_rest(stack: LocalStack) -> list[tuple[str, str]]:
    """Each email address readable in the stack's table or its stream, with the start of the item holding it. A
    person's address is personal data, encrypted wherever it is kept (docs/encryption.md); an organisation's is
    not: a water district's submission address (and the submissions sent to it) reads as written."""
    endpoint = f"http://127.0.0.1:{stack.moto_port}"
    table = table_items(endpoint)
    organisations = {item["submission_email"]["S"] for item in table if item.get("entity", {}).get("S") == "District"}
    found = []
    for item in [*table, *stream_records(endpoint)]:
        text = json.dumps(item, default=str)
        found += [(address, text[:160]) for address in EMAIL.findall(text) if address not in organisations]
    return found


@pytest.fixture
def stack() -> Iterator[LocalStack]:
    """After the test, whatever it wrote: no email address is readable at rest (unless it stopped the stack)."""
    started = LocalStack()
    try:
        started.wait_ready()
        yield started
        if started.process.poll() is None:
            readable = emails_readable_at_rest(started)
            assert readable == [], readable[:10]
    finally:
        if started.process.poll() is None:
            started.process.kill()


def wait_for_mail(base: str, timeout: float = 20) -> list[dict[str, str]]:
    deadline = time.monotonic() + timeout
    with httpx.Client() as http:
        while time.monotonic() < deadline:
            mails: list[dict[str, str]] = http.get(f"{base}/_local/mail").json()
            if mails:
                return mails
            time.sleep(0.2)
    raise TimeoutError("no email arrived")


def until(check: Callable[[], Any], what: str, timeout: float = 30, every: float = 0.2) -> Any:
    """``check``'s first truthy answer, polled every ``every`` seconds while the stack's worker catches up;
    TimeoutError naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(every)
    raise TimeoutError(what)


def ok(response: httpx.Response) -> Any:
    """The answer's JSON (None when empty), after checking it is not an error."""
    assert response.status_code < 400, response.text
    return response.json() if response.content else None
