"""One page of a query: at most ``limit`` items and the cursor to the next page."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pynamodb.pagination import ResultIterator

from atrium.kernel.store import keys
from atrium.kernel.store.cursors import decode_cursor, encode_cursor
from atrium.kernel.store.models import TenantEntity

T = TypeVar("T")
E = TypeVar("E", bound=TenantEntity)


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


def collection_page(model: type[E], tenant_id: str, *, limit: int, cursor: str | None, query: str,
                    newest_first: bool = False) -> Page[E]:
    """One page of the tenant's ``model`` items, in their collection's order (gsi1); one Query.
    ``query`` names the list its cursors are bound to."""
    collection = keys.collection_pk(tenant_id, model.type_name())
    page = fetch_page(lambda start: model.gsi1.query(collection, limit=limit, page_size=limit,
                                                     scan_index_forward=not newest_first, last_evaluated_key=start),
                      cursor=cursor, tenant_id=tenant_id, query=query)
    return Page([item for item in page.items if isinstance(item, model)], page.next_cursor)
