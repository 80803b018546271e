"""The query parameters every list takes: ``limit`` and an opaque ``cursor`` from the previous page."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from atrium.kernel.errors import Unprocessable

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


def page_params(request: Request,
                limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
                cursor: Annotated[str | None, Query(min_length=1, max_length=2048,
                                                    description="next_cursor of the previous page")] = None,
                ) -> PageParams:
    # Sent twice, a parameter is ambiguous (the framework would silently take the last): refuse it.
    repeated = [name for name in ("limit", "cursor") if len(request.query_params.getlist(name)) > 1]
    if repeated:
        raise Unprocessable("a query parameter was sent more than once", errors=[
            {"field": f"query.{name}", "message": "send this parameter once", "code": "repeated"}
            for name in repeated])
    return PageParams(limit, cursor)


Paging = Annotated[PageParams, Depends(page_params)]
