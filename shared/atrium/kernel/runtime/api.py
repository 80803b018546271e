"""A route function: an app holding only its own route, served by Mangum."""

from typing import Any

from mangum import Mangum

from atrium.kernel.http.app import create_app
from atrium.kernel.http.routing import RouteSpec


def route_handler(spec: RouteSpec) -> Any:
    return Mangum(create_app([spec]), lifespan="off")
