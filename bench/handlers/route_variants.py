"""GET /v1/tenant as a sync or an async endpoint, each in a route function built like Atrium's.

Every variant is Atrium's own declaration of ``identity.get_tenant`` (path, permission, grants, options) with
only the endpoint swapped, served by the same ``route_handler`` the route functions use (app factory, Mangum,
Powertools wrappers). The endpoints do what Atrium's does: call ``tenants.get_tenant`` and set the ETag.

- sync: Atrium's endpoint, a ``def``. FastAPI runs it in a worker thread (anyio's threadpool) and, because it
  is sync, validates its return value in a worker thread too.
- async: an ``async def`` calling the blocking service on the event loop. A Lambda process serves one event at
  a time, so nothing else waits for the loop there; under a server with concurrent requests (uvicorn, the
  local stack) every blocking call would stall the others.
- async + threadpool: an ``async def`` that hands the blocking service call to the threadpool itself.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from fastapi import Response
from starlette.concurrency import run_in_threadpool

from atrium import manifest
from atrium.identity import tenants
from atrium.identity.schemas import TenantOut
from atrium.kernel.http.dependencies import CurrentPrincipal, etag
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.runtime.api import route_handler

OPERATION_ID = "identity.get_tenant"
SELECTOR = "BENCH_ROUTE_VARIANT"  # the environment variable bench/handlers/route_variant.py reads


async def get_tenant_on_loop(principal: CurrentPrincipal, response: Response) -> TenantOut:
    """The caller's tenant (async; the blocking GetItem runs on the event loop)."""
    tenant = tenants.get_tenant(principal)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


async def get_tenant_in_threadpool(principal: CurrentPrincipal, response: Response) -> TenantOut:
    """The caller's tenant (async; the blocking GetItem runs in the threadpool)."""
    tenant = await run_in_threadpool(tenants.get_tenant, principal)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@dataclass(frozen=True)
class Variant:
    key: str
    name: str
    endpoint: Callable[..., Any] | None  # None: Atrium's declared endpoint


VARIANTS = (
    Variant("sync", "sync def (Atrium's)", None),
    Variant("async", "async def, service on the loop", get_tenant_on_loop),
    Variant("async_threadpool", "async def + run_in_threadpool", get_tenant_in_threadpool),
)
BASELINE = VARIANTS[0]


def variant(key: str) -> Variant:
    return next(v for v in VARIANTS if v.key == key)


def spec(key: str) -> RouteSpec:
    declared = manifest.route(OPERATION_ID)
    endpoint = variant(key).endpoint
    return declared if endpoint is None else replace(declared, endpoint=endpoint)


def build(key: str) -> Any:
    """The Lambda handler of one variant, made as ``functions/api.py`` makes a route function's."""
    return route_handler(spec(key))
