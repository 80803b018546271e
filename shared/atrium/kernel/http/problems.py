"""RFC 9457 problem responses for every error; never a stack trace."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from atrium.kernel.errors import AtriumError, PreconditionRequired
from atrium.kernel.observability import logger

PROBLEM_MEDIA_TYPE = "application/problem+json"
_COMPONENTS = "#/components/schemas/"
# A missing precondition header is 428 (RFC 6585), not a field error.
_PRECONDITION_FIELDS = frozenset({"header.if-match"})
_HTTP_PROBLEMS = {400: ("Bad Request", "bad-request"), 404: ("Not Found", "not-found"),
                  405: ("Method Not Allowed", "method-not-allowed"),
                  415: ("Unsupported Media Type", "unsupported-media-type")}
# Starlette's details for these name the status again; say what it means instead.
_HTTP_DETAILS = {404: "No such resource.", 405: "This method is not allowed on this resource."}


class FieldError(BaseModel):
    field: str
    message: str
    code: str | None = None


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


def problem_response(description: str) -> dict[str, Any]:
    """An OpenAPI response whose body is a ``Problem``."""
    return {"description": description,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": f"{_COMPONENTS}Problem"}}}}


def problem_schemas() -> dict[str, Any]:
    """The OpenAPI component schemas that ``problem_response`` refers to."""
    _, schemas = models_json_schema([(Problem, "validation")], ref_template=f"{_COMPONENTS}{{model}}")
    return dict(schemas["$defs"])


def problem(status: int, title: str, slug: str, detail: str, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None, extensions: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = (extensions or {}) | {
        "type": f"urn:atrium:problem:{slug}", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(part) for part in item["loc"]), "message": item["msg"], "code": item["type"]}
        for item in error.errors()
    ]


async def _on_domain_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, AtriumError)
    if error.status >= 500:
        logger.warning("service problem", extra={"problem": error.slug, "detail": error.detail})
    return problem(error.status, error.title, error.slug, error.detail, error.errors,
                   headers=error.headers or None, extensions=error.extensions)


async def _on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = _field_errors(error)
    if any(item["code"] == "json_invalid" for item in errors):
        return problem(400, "Bad Request", "malformed-json", "The request body is not valid JSON.", errors)
    if errors and all(item["code"] == "missing" and item["field"] in _PRECONDITION_FIELDS for item in errors):
        return await _on_domain_error(request, PreconditionRequired(
            "send If-Match with the ETag from your last read", errors=errors))
    return problem(422, "Unprocessable Content", "validation", "The request has invalid fields.", errors)


def _allowed_methods(request: Request) -> str:
    """Every method the path supports: Starlette's ``Allow`` names only the first route that matched it."""
    methods = {method for route in request.app.router.routes
               if route.matches(request.scope)[0] is not Match.NONE for method in getattr(route, "methods", ())}
    return ", ".join(sorted(methods))


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    title, slug = _HTTP_PROBLEMS.get(status, ("Error", "http"))
    headers = dict(error.headers or {})
    if status == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem(status, title, slug, _HTTP_DETAILS.get(status, str(error.detail)), headers=headers)


async def _on_unexpected(_: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error")
    return problem(500, "Internal Server Error", "internal", "An unexpected error occurred.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AtriumError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
