"""Sending signed webhook requests: concurrently, over pooled connections, with connect and total timeouts,
never following a redirect, and only to addresses the SSRF guard allows.

The guard runs twice. Before each attempt the URL's host is resolved and checked, so a host whose DNS now
points somewhere private is refused with a clear error even while a pooled connection to its old address
is open. And every new connection resolves and checks again and connects to a checked address (the
transport's network backend), so nothing between the check and the connect can redirect it (DNS rebinding).
The URL keeps its host name, so TLS verifies the certificate for that name and connections are pooled per
name.
"""

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpcore
import httpx

from atrium.kernel.observability import logger
from atrium.webhooks import ssrf

CONNECT_TIMEOUT_SECONDS = 5.0
TOTAL_TIMEOUT_SECONDS = 15.0
RESPONSE_BODY_BYTES = 4096
USER_AGENT = "Atrium-Webhooks/1.0"


@dataclass(frozen=True)
class Outgoing:
    url: str
    body: bytes
    headers: dict[str, str]
    method: str = "POST"
    # The response body is kept up to this many bytes (a webhook's, for its attempt's log).
    response_bytes: int = RESPONSE_BODY_BYTES


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    latency_ms: int | None = None
    response_body: str | None = None
    error: str | None = None
    retry_after: str | None = None  # the response's Retry-After header


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the SSRF guard accepts, resolving the host itself."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.get_running_loop().run_in_executor(None, ssrf.check_host, host)
        except ssrf.BlockedDestination as error:
            raise httpcore.ConnectError(_refusal(error)) from None
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(str(address), port, timeout=timeout,
                                                       local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are not sent over unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend())


@lru_cache(maxsize=1)
def _loop() -> asyncio.AbstractEventLoop:
    """One loop per process, so the client's pooled connections outlive an invocation (warm Lambdas)."""
    return asyncio.new_event_loop()


@lru_cache(maxsize=1)
def _client() -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=50, keepalive_expiry=30)
    return httpx.AsyncClient(
        transport=GuardedTransport(limits), follow_redirects=False, trust_env=False, headers={"user-agent": USER_AGENT},
        timeout=httpx.Timeout(TOTAL_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS))


def send_all(outgoing: list[Outgoing]) -> list[Outcome]:
    """Send every request at once; one outcome per request, in order. Never raises for a receiver's failure."""
    if not outgoing:
        return []

    async def run() -> list[Outcome]:
        return list(await asyncio.gather(*(_send(request) for request in outgoing)))

    return _loop().run_until_complete(run())


async def _send(request: Outgoing) -> Outcome:
    try:
        await asyncio.get_running_loop().run_in_executor(None, ssrf.check_destination, request.url)
    except ssrf.BlockedDestination as error:
        return Outcome(error=_refusal(error))
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TOTAL_TIMEOUT_SECONDS):
            async with _client().stream(request.method, request.url, content=request.body or None, headers={
                    "content-type": "application/json", **request.headers}) as response:
                body = await _first_bytes(response, request.response_bytes)
    except TimeoutError:
        return Outcome(latency_ms=_since(started), error=f"no response within {TOTAL_TIMEOUT_SECONDS:g} s")
    except httpx.ConnectTimeout:
        return Outcome(latency_ms=_since(started), error=f"no connection within {CONNECT_TIMEOUT_SECONDS:g} s")
    except httpx.HTTPError as error:
        return Outcome(latency_ms=_since(started), error=f"{type(error).__name__}: {error}"[:500])
    return Outcome(status_code=response.status_code, latency_ms=_since(started),
                   response_body=body.decode(errors="replace"), retry_after=response.headers.get("retry-after"))


def _refusal(error: ssrf.BlockedDestination) -> str:
    """The attempt's error, as its endpoint's configurer sees it; what the host resolved to goes only to the log."""
    logger.info("webhook destination refused", extra={"detail": error.detail})
    return f"refused: {error}"


async def _first_bytes(response: httpx.Response, most: int) -> bytes:
    received = b""
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= most:
            break
    return received[:most]


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
