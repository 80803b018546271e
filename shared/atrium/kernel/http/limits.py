"""Request size limits, enforced before any route runs, so an oversized request costs little and writes nothing."""

from contextlib import aclosing

from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atrium.kernel.http.problems import problem


class RequestLimits:
    """ASGI middleware: 414 for a query string over ``max_query_bytes``; 413 for a body over ``max_body_bytes``,
    whether its ``Content-Length`` says so or its streamed bytes do (a client may send no length, or lie)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_query_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_query_bytes = max_query_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query_bytes:
            await problem(414, "URI Too Long", "uri-too-long",
                          f"The query string is over {self.max_query_bytes} bytes.")(scope, receive, send)
            return
        try:
            body = None if self._declared_too_large(scope) else await self._read_body(scope, receive)
        except ClientDisconnect:
            return  # nobody is left to answer, and half a body must not reach a route
        if body is None:
            await problem(413, "Content Too Large", "content-too-large",
                          f"The request body is over {self.max_body_bytes} bytes.")(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def _declared_too_large(self, scope: Scope) -> bool:
        try:
            return int(Headers(scope=scope).get("content-length", "")) > self.max_body_bytes
        except ValueError:  # absent or not a number: the streamed bytes are counted anyway
            return False

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the limit (the rest is never read)."""
        body = bytearray()
        async with aclosing(Request(scope, receive).stream()) as chunks:
            async for chunk in chunks:
                body += chunk
                if len(body) > self.max_body_bytes:
                    return None
        return bytes(body)


def _replay(body: bytes, receive: Receive) -> Receive:
    """Hands the buffered body to the app in one message, then defers to the server (for disconnects)."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
