"""The alternative to one function per route: one FastAPI app holding every route, behind one handler.

Wrapped like a route function (Powertools logger, tracer, metrics), so the number of routes is the only difference.
"""

from typing import Any

from mangum import Mangum

from atrium import manifest
from atrium.kernel.http.app import create_app
from atrium.kernel.runtime.observed import HTTP_CORRELATION, observed

mangum = Mangum(create_app(manifest.routes()), lifespan="off")


def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:  # Powertools and Mangum type the context apart
    response: dict[str, Any] = mangum(event, context)
    return response


handler = observed("route", "all", serve, correlation_path=HTTP_CORRELATION)
