"""Routes take JSON bodies. Any other media type is 415, rather than a 422 about the body's shape."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from atrium.kernel.http.problems import problem_response


def _is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


class JsonRoute(APIRoute):
    """An APIRoute that answers a non-JSON body with 415 (and documents it)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.body_field is not None:
            self.responses.setdefault(415, problem_response("The body is not JSON"))

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if self.body_field is None:
            return handle

        async def handle_json(request: Request) -> Response:
            if await request.body() and not _is_json(request.headers.get("content-type")):
                raise HTTPException(415, "Send the body as application/json.")
            return await handle(request)

        return handle_json
