"""The app factory: a FastAPI app holding the given routes, with Atrium's conventions."""

from collections.abc import Iterable
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from atrium.kernel.config import settings
from atrium.kernel.http.dependencies import Authenticator, require_permission
from atrium.kernel.http.idempotency import idempotent_route
from atrium.kernel.http.json_route import JsonRoute
from atrium.kernel.http.limits import RequestLimits
from atrium.kernel.http.problems import install_problem_handlers, problem_response, problem_schemas
from atrium.kernel.http.rate_limits import RateLimitFields, rate_limited
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.http.step_up import RESPONSES as STEP_UP_RESPONSES

# What any route may answer before its handler runs (the route classes add their own).
_COMMON_PROBLEMS = {400: "The request is malformed", 413: "The request body is too large",
                    414: "The query string is too long", 422: "The request has invalid fields",
                    429: "A rate limit is used up (RateLimit and Retry-After say which, and for how long)"}
_AUTH_PROBLEMS = {401: "Missing or invalid credentials", 403: "The caller lacks the permission"}
_FEATURE_RESPONSES = {402: {"description": "The tenant's plan lacks the feature (x-atrium-feature)"}}


def _route_class(spec: RouteSpec) -> type[APIRoute]:
    return idempotent_route(spec) if spec.idempotent else JsonRoute


def _responses(spec: RouteSpec, declared: dict[int, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Every error response is a problem; a route declares only what is special to it (status, description)."""
    problems = _COMMON_PROBLEMS | ({} if spec.is_public else _AUTH_PROBLEMS)
    responses: dict[int | str, dict[str, Any]] = {status: problem_response(text) for status, text in problems.items()}
    for status, response in declared.items():
        responses[status] = problem_response("Problem") | response if int(status) >= 400 else response
    return responses


def add_route(app: FastAPI, spec: RouteSpec) -> None:
    options = dict(spec.options)
    responses = _responses(spec, (STEP_UP_RESPONSES if spec.step_up else {}) | (
        _FEATURE_RESPONSES if spec.feature else {}) | options.pop("responses", {}))
    extra = options.pop("openapi_extra", {})  # a route's own additions (a raw body's description)
    app.router.add_api_route(
        spec.path,
        spec.endpoint,
        methods=[spec.method],
        operation_id=spec.operation_id,
        status_code=spec.status_code,
        dependencies=[Depends(rate_limited(spec)), *([] if spec.is_public else [Depends(require_permission(spec))])],
        openapi_extra={"x-atrium-permission": spec.permission, "x-atrium-realm": str(spec.realm)} | (
            {"x-atrium-step-up": True} if spec.step_up else {}) | (
            {"x-atrium-scoped": True} if spec.scoped else {}) | (
            {"x-atrium-feature": str(spec.feature)} if spec.feature else {}) | (
            {} if spec.is_public else {"security": [{"bearer": []}]}) | extra,
        responses=responses,
        tags=[spec.context],
        route_class_override=_route_class(spec),
        **options,
    )


def create_app(specs: Iterable[RouteSpec], *, authenticate: Authenticator | None = None,
               openapi: bool = False) -> FastAPI:
    """``openapi`` serves ``/openapi.json`` (the local stack, which adds the docs pages); route Lambdas skip it."""
    app = FastAPI(
        title="Atrium API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if openapi else None,
    )
    app.state.authenticate = authenticate
    app.add_middleware(RequestLimits, max_body_bytes=settings().max_body_bytes,
                       max_query_bytes=settings().max_query_bytes)
    app.add_middleware(RateLimitFields)
    install_problem_handlers(app)
    for spec in specs:
        add_route(app, spec)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {}).update(problem_schemas())
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "An access token (JWT) from signup or login, or an API token"},
        }
        app.openapi_schema = schema
    return app.openapi_schema
