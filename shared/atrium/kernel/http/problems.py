"""RFC 9457 problem responses for every error; never a stack trace."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from atrium.kernel.errors import AtriumError
from atrium.kernel.observability import logger

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, slug: str, detail: str, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"urn:atrium:problem:{slug}", "title": title, "status": status, "detail": detail}
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
    return problem(error.status, error.title, error.slug, error.detail, error.errors)


async def _on_validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = _field_errors(error)
    if any(item["code"] == "json_invalid" for item in errors):
        return problem(400, "Bad Request", "malformed-json", "The request body is not valid JSON.", errors)
    return problem(422, "Unprocessable Content", "validation", "The request has invalid fields.", errors)


async def _on_http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    titles = {404: ("Not Found", "not-found", "No such resource."),
              405: ("Method Not Allowed", "method-not-allowed", "This method is not allowed on this resource.")}
    title, slug, detail = titles.get(error.status_code, ("Error", "http", str(error.detail)))
    return problem(error.status_code, title, slug, detail, headers=dict(error.headers or {}))


async def _on_unexpected(_: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error")
    return problem(500, "Internal Server Error", "internal", "An unexpected error occurred.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AtriumError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
