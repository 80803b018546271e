"""How the demo reaches a stack: its public API over HTTP (plus the local stack's ``/_local`` helpers), as any
client would."""

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
# Posts a file to a presigned upload form: the upload as the API answered it, and the file's bytes.
Upload = Callable[[dict[str, Any], bytes], None]
RECEIVER_NAME = "demo"
WAIT_SECONDS = 25.0


class DemoError(Exception):
    """The stack answered something the demo cannot go on from."""


@dataclass(frozen=True)
class Session:
    email: str
    password: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def post_form(upload: dict[str, Any], content: bytes) -> None:
    """Send the file to S3 as a browser would: every field of the form, then the file."""
    fields = upload["fields"]
    sent = httpx.post(upload["url"], data=fields, files={"file": ("file", content, fields["Content-Type"])},
                      timeout=30)
    if sent.status_code not in (200, 201, 204):
        raise DemoError(f"the upload was refused ({sent.status_code}): {sent.text[:200]}")


def _pause() -> None:
    time.sleep(0.25)


@dataclass
class Stack:
    """A stack to fill: ``http`` reaches its API; ``settle`` lets background work (consumers, jobs) go on while the
    demo waits for it (a pause against a running stack; a test drains its worker)."""

    http: httpx.Client
    receiver_url: str
    upload: Upload = post_form
    settle: Callable[[], None] = _pause
    # Idempotency-Key prefix of this run: a request sent again within the run is not done twice.
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created: list[str] = field(default_factory=list)  # what this run made, for its report

    def made(self, what: str) -> None:
        self.created.append(what)

    def call(self, method: str, path: str, *, auth: Session | None = None, expect: tuple[int, ...] = (200,),
             key: str | None = None, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        """The answer, if its status is expected; with ``key``, an Idempotency-Key and one retry on a lost
        connection."""
        sent = dict(headers or {}) | (auth.auth if auth else {})
        if key is not None:
            sent["Idempotency-Key"] = f"demo-{self.run_id}-{key}".replace(" ", "-")  # visible ASCII only
        try:
            response = self.http.request(method, path, headers=sent, **kwargs)
        except httpx.TransportError:
            if key is None:
                raise
            response = self.http.request(method, path, headers=sent, **kwargs)  # the key makes it happen once
        if response.status_code not in expect:
            raise DemoError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.call(method, path, **kwargs).json()

    def each(self, path: str, auth: Session, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a list, following its cursors."""
        cursor = None
        while True:
            page = self.json("GET", path, auth=auth, params=params | {"limit": 100} | (
                {"cursor": cursor} if cursor else {}))
            yield from page["data"]
            if not (cursor := page["next_cursor"]):
                return

    def find(self, path: str, auth: Session, match: Callable[[dict[str, Any]], bool],
             **params: Any) -> dict[str, Any] | None:
        return next((item for item in self.each(path, auth, **params) if match(item)), None)

    def wait_for(self, what: str, check: Callable[[], T | None]) -> T:
        """``check``'s first answer that is not None, letting the stack's background work go on between tries."""
        deadline = time.monotonic() + WAIT_SECONDS
        while (found := check()) is None:
            if time.monotonic() > deadline:
                raise DemoError(f"gave up waiting for {what} after {WAIT_SECONDS:.0f} s (is the worker running?)")
            self.settle()
        return found
