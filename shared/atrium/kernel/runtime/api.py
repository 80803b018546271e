"""A route function: an app holding only its own route, served by Mangum."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from mangum import Mangum

from atrium.kernel.http.app import create_app
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.runtime.observed import HTTP_CORRELATION, observed


def route_handler(spec: RouteSpec) -> Any:
    mangum = Mangum(create_app([spec]), lifespan="off")

    def serve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return mangum(event, context)  # type: ignore[arg-type]

    return observed("route", spec.operation_id, serve, correlation_path=HTTP_CORRELATION)
