"""A route function: an app holding only its own route, served by Mangum."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from atrium.kernel.http.app import create_app
from atrium.kernel.http.problems import PROBLEM_MEDIA_TYPE
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.runtime.observed import HTTP_CORRELATION, observed


def route_handler(spec: RouteSpec) -> Any:
    # Problem bodies are text: without this Mangum base64-encodes them.
    mangum = Mangum(create_app([spec]), lifespan="off",
                    text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, PROBLEM_MEDIA_TYPE])

    def serve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return mangum(event, context)  # type: ignore[arg-type]

    return observed("route", spec.operation_id, serve, correlation_path=HTTP_CORRELATION)
