"""What is measured: a Lambda handler, loaded by a Python runtime set-up, answering one route's event."""

import sys
from dataclasses import dataclass
from typing import Any

from atrium.kernel.http.routing import RouteSpec
from bench.events import http_api_event
from bench.moto_world import MotoWorld
from bench.spawn import ChildRun, run_child


@dataclass(frozen=True)
class Handler:
    name: str
    module: str  # the Lambda handler module; its ``handler`` is invoked
    per_route: bool = False  # Atrium's route entry: ATRIUM_ROUTE selects the one route it holds
    env: tuple[tuple[str, str], ...] = ()  # more environment for the child (a variant's selector)


ROUTE_FUNCTION = Handler("Atrium route function", "api", per_route=True)
POWERTOOLS = Handler("Powertools resolver (minimal)", "bench.handlers.powertools_minimal")
COOKBOOK = Handler("Powertools resolver, cookbook style", "bench.handlers.powertools_cookbook")
MONOLITH = Handler("FastAPI app, all routes", "bench.handlers.fastapi_monolith")
BASELINE = POWERTOOLS  # ratios are against it
PEER = COOKBOOK  # and against the handler a team would write without Atrium (same kinds of parts)


@dataclass(frozen=True)
class Runtime:
    name: str
    python_flags: tuple[str, ...] = ()
    path: tuple[str, ...] = ()  # on PYTHONPATH before the code and the repo
    python: str = sys.executable


VENV = Runtime("venv (deps with .pyc)")


def run_in_child(world: MotoWorld, handler: Handler, runtime: Runtime, spec: RouteSpec, mode: str,
                 **job: Any) -> ChildRun:
    env = world.child_env(*runtime.path)
    if handler.per_route:
        env["ATRIUM_ROUTE"] = spec.operation_id
    env.update(handler.env)
    event = http_api_event(spec, access_token=world.access_token, principal=world.principal)
    return run_child("bench.child", {"mode": mode, "module": handler.module, "event": event, **job}, env,
                     runtime.python_flags, runtime.python)
