"""One page of a query: at most ``limit`` items and the cursor to the next page."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pynamodb.pagination import ResultIterator

from atrium.kernel.store.cursors import decode_cursor, encode_cursor

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def fetch_page(run_query: Callable[[dict[str, Any] | None], ResultIterator[T]], *, cursor: str | None,
               tenant_id: str, query: str) -> Page[T]:
    """``run_query(last_evaluated_key)`` issues one DynamoDB Query with its ``limit``."""
    start = decode_cursor(cursor, tenant_id=tenant_id, query=query) if cursor else None
    results = run_query(start)
    items = list(results)
    last = results.last_evaluated_key
    return Page(items, encode_cursor(last, tenant_id=tenant_id, query=query) if last else None)
