"""Routes take JSON bodies (any other media type is 415, rather than a 422 about the body's shape) and only
the query parameters they declare."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from atrium.kernel.errors import Unprocessable
from atrium.kernel.http.problems import problem_response


def _is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters of a route and of every dependency it uses."""
    names = frozenset(param.alias for param in dependant.query_params)
    return names.union(*(_query_names(sub) for sub in dependant.dependencies))


class JsonRoute(APIRoute):
    """An APIRoute that answers a non-JSON body with 415 (and documents it) and refuses query
    parameters it does not declare (422): a misspelt ``limt`` must not silently mean the default."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.body_field is not None:
            self.responses.setdefault(415, problem_response("The body is not JSON"))
        self.query_names = _query_names(self.dependant)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_checked(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - self.query_names)
            if unknown:
                raise Unprocessable("the request has query parameters this operation does not take", errors=[
                    {"field": f"query.{name}", "message": "unknown parameter", "code": "unknown"} for name in unknown])
            if self.body_field is not None and await request.body() and not _is_json(
                    request.headers.get("content-type")):
                raise HTTPException(415, "Send the body as application/json.")
            return await handle(request)

        return handle_checked
