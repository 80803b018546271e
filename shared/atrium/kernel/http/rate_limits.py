"""Rate limits for every caller: per tenant and per principal (a user, an API token, an operator) on authenticated
routes, per source address on public ones, so no tenant or client can use up the stage for the others.

Fixed one-minute windows counted in DynamoDB with one UpdateItem per request: a tenant's count and its principal's
are two attributes of one item, the tenant's window. A process that has seen a window exhausted refuses further
requests of it without a write until the window ends. Every answer from a route carries the IETF ``RateLimit-Policy``
and ``RateLimit`` fields (draft-ietf-httpapi-ratelimit-headers); over a limit, 429 with ``Retry-After``. The quotas
are settings (``ATRIUM_RATE_LIMIT_*``), but a tenant's: its plan's ``api_requests_per_minute``, which the authorizer
puts on the principal (``Principal.tenant_requests_per_minute``), held to the setting, the stage's ceiling.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError
from fastapi import Request
from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.update import Action
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import TooManyRequests
from atrium.kernel.events.request_counts import RATE_WINDOW_ENTITY, TENANT_COUNT
from atrium.kernel.http.dependencies import request_info, resolve_principal
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.observability import logger
from atrium.kernel.store.models import GlobalEntity, Item, TenantEntity, expires_in
from atrium.kernel.tenancy import Principal
from atrium.kernel.ttl_cache import TtlCache

WINDOW_SECONDS = 60
_STATE = "rate_limit"  # where a request keeps its counts, for the response's fields


class TenantRateWindow(TenantEntity, discriminator=RATE_WINDOW_ENTITY):
    """``id`` is the window's start (epoch seconds); its attributes are counts: ``requests`` (the tenant's) and
    one per principal (``p_<principal id>``). The stream carries each count to metering (``request_counts``)."""


class RateWindow(GlobalEntity, discriminator="GlobalRateWindow"):
    """A window of a caller outside any tenant: ``natural_key`` is ``<source address or operator id>@<start>``."""


@dataclass(frozen=True)
class Count:
    policy: str
    quota: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.quota - self.used, 0)


@dataclass(frozen=True)
class Counted:
    counts: tuple[Count, ...]
    reset_seconds: int

    def fields(self) -> list[tuple[bytes, bytes]]:
        if not self.counts:
            return []
        policies = ", ".join(f'"{c.policy}";q={c.quota};w={WINDOW_SECONDS}' for c in self.counts)
        state = ", ".join(f'"{c.policy}";r={c.remaining};t={self.reset_seconds}' for c in self.counts)
        return [(b"ratelimit-policy", policies.encode()), (b"ratelimit", state.encode())]

    def exceeded(self) -> Count | None:
        return next((c for c in self.counts if c.used > c.quota), None)


# What the windows' partition keys look like, for the IAM condition that lets every function count (and nothing else).
KEY_PATTERNS = ("T#*#RateWindow#*", "G#GlobalRateWindow#*")

# Windows this process saw exhausted: (window key) -> the counts it answered with.
_exhausted: TtlCache[str, Counted] = TtlCache(WINDOW_SECONDS)


def rate_limited(spec: RouteSpec) -> Callable[[Request], Awaitable[None]]:
    """The dependency every route has: public ones count by source address, the others by tenant and principal."""

    async def check(request: Request) -> None:
        await limit(request, None if spec.is_public else await resolve_principal(request))

    return check


async def limit(request: Request, principal: Principal | None) -> None:
    """Count this request against its caller's windows (once per request), or refuse it (429)."""
    if hasattr(request.state, _STATE):
        return
    counted = await run_in_threadpool(_count, principal, request_info(request).ip or "unknown")
    setattr(request.state, _STATE, counted)
    if (over := counted.exceeded()) is not None:
        raise TooManyRequests(f"the {over.policy} rate limit of {over.quota} requests a minute is used up",
                              retry_after_seconds=counted.reset_seconds)


def forget_used_up_windows() -> None:
    """Drop what this process knows of used-up windows (tests: the world they were counted in is gone)."""
    _exhausted.clear()


def _count(principal: Principal | None, source: str) -> Counted:
    now = clock.epoch()
    start = now - now % WINDOW_SECONDS
    reset = start + WINDOW_SECONDS - now
    config = settings()
    if principal is None:
        item: Item = RateWindow(natural_key=f"{source}@{start}")
        quotas = {"source": (TENANT_COUNT, config.rate_limit_source_per_minute)}
    elif principal.tenant_id:
        item = TenantRateWindow(tenant_id=principal.tenant_id, id=str(start))
        quotas = {"tenant": (TENANT_COUNT, _tenant_quota(principal, config.rate_limit_tenant_per_minute)),
                  "principal": (f"p_{principal.id}", config.rate_limit_principal_per_minute)}
    else:
        item = RateWindow(natural_key=f"{principal.id}@{start}")
        quotas = {"principal": (TENANT_COUNT, config.rate_limit_principal_per_minute)}
    item.assign_keys()
    window = f"{item.pk}|{','.join(name for name, _ in quotas.values())}"
    if (known := _exhausted.get(window)) is not None:
        return Counted(known.counts, reset)
    try:
        used = _add_one(item, [name for name, _ in quotas.values()])
    except (PynamoDBException, BotoCoreError):
        # Open, not shut: a request the table cannot count is let through (the stage's own throttle still holds),
        # and the route answers for itself (health says the table is down).
        logger.warning("rate limit not counted", exc_info=True)
        return Counted((), reset)
    counted = Counted(tuple(Count(policy, quota, used[name]) for policy, (name, quota) in quotas.items()), reset)
    if counted.exceeded():
        _exhausted.put(window, counted)
    return counted


def _tenant_quota(principal: Principal, ceiling: int) -> int:
    """The tenant's plan's number, never above the stage's ceiling (a plan with no number gets the ceiling)."""
    planned = principal.tenant_requests_per_minute
    return ceiling if planned is None else min(planned, ceiling)


def _add_one(item: Item, counters: Sequence[str]) -> dict[str, int]:
    """One UpdateItem adding 1 to each counter of ``item``; their new values."""
    actions: list[Action] = [NumberAttribute(attr_name=name).add(1) for name in counters]
    actions += [Item.expires_at.set(expires_in(2 * WINDOW_SECONDS)), Item.entity.set(type(item))]
    answer = type(item)._get_connection().update_item(item.pk, range_key=item.sk, actions=actions,
                                                      return_values="UPDATED_NEW")
    return {name: int(answer["Attributes"][name]["N"]) for name in counters}


class RateLimitFields:
    """ASGI middleware: every answer of a request that was counted carries its ``RateLimit`` fields."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_fields(message: Message) -> None:
            counted = scope.get("state", {}).get(_STATE)
            if message["type"] == "http.response.start" and isinstance(counted, Counted):
                message = {**message, "headers": [*message.get("headers", []), *counted.fields()]}
            await send(message)

        await self.app(scope, receive, send_with_fields)
