"""The app factory: a FastAPI app holding the given routes, with Atrium's conventions."""

from collections.abc import Iterable
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from atrium.kernel.http.dependencies import Authenticator, require_permission
from atrium.kernel.http.idempotency import IdempotentRoute, PublicIdempotentRoute
from atrium.kernel.http.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers
from atrium.kernel.http.routing import RouteSpec

_PROBLEM_RESPONSE = {"description": "Problem", "content": {PROBLEM_MEDIA_TYPE: {"schema": {"type": "object"}}}}


def _route_class(spec: RouteSpec) -> type[APIRoute]:
    if not spec.idempotent:
        return APIRoute
    return PublicIdempotentRoute if spec.is_public else IdempotentRoute


def add_route(app: FastAPI, spec: RouteSpec) -> None:
    options = dict(spec.options)
    responses = dict.fromkeys((400, 422), _PROBLEM_RESPONSE) | options.pop("responses", {})
    if not spec.is_public:
        responses |= dict.fromkeys((401, 403), _PROBLEM_RESPONSE)
    app.router.add_api_route(
        spec.path,
        spec.endpoint,
        methods=[spec.method],
        operation_id=spec.operation_id,
        status_code=spec.status_code,
        dependencies=[] if spec.is_public else [Depends(require_permission(spec.permission))],
        openapi_extra={"x-atrium-permission": spec.permission} | (
            {} if spec.is_public else {"security": [{"bearer": []}]}),
        responses=responses,
        tags=[spec.context],
        route_class_override=_route_class(spec),
        **options,
    )


def create_app(specs: Iterable[RouteSpec], *, authenticate: Authenticator | None = None,
               docs: bool = False) -> FastAPI:
    """``docs`` serves ``/openapi.json`` and Swagger UI (local stack); route Lambdas skip them."""
    app = FastAPI(
        title="Atrium API",
        version="1",
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.authenticate = authenticate
    install_problem_handlers(app)
    for spec in specs:
        add_route(app, spec)
    app.openapi = lambda: _openapi_with_security(app)  # type: ignore[method-assign]
    return app


def _openapi_with_security(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "An access token (JWT) from signup or login, or an API token"},
        }
        app.openapi_schema = schema
    return app.openapi_schema
