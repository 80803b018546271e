"""Every item of one tenant, raw (DynamoDB JSON, protected attributes as stored), and raw writes of a tenant's items.

No index lists a tenant's items together: they sit in many collections (``T#<tenant>#<Type>#<id>``). A walk is
a Scan of the whole table kept to the tenant's prefix, signed by the function's own role (``Grant.TABLE_SCAN``;
no tenant session may Scan: IAM's LeadingKeys needs a key) and outside any tenant scope for that call alone.
Whatever is written, and every other read, stays in the tenant's scope and session. docs/decisions.md says why a
Scan and not a tenant-wide index.
"""

import time
from collections.abc import Iterable, Iterator
from typing import Any

from pynamodb.models import Model

from atrium.kernel.config import settings
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import outside_tenant_scope

RawItem = dict[str, dict[str, Any]]
# Items a Scan call reads (before its filter): bounds each call's time, whatever the table holds.
SCAN_PAGE = 1000
WRITE_BATCH = 25  # BatchWriteItem's limit
_RETRY_SECONDS = 0.05


def table_client() -> Any:
    """The table's client: the one every model uses, which signs calls in a tenant scope with the tenant's
    session and others with the function's own role."""
    return Item._get_connection().connection.client


def tenant_items(tenant_id: str, *, consistent: bool = True) -> Iterator[list[RawItem]]:
    """The tenant's items, a page at a time (pages with none of them are skipped). Called in the tenant's
    scope (its prefix is computed there, so no other tenant can be named); the Scan itself runs outside it."""
    prefix = keys.tenant_prefix(tenant_id)
    request: dict[str, Any] = {
        "TableName": settings().table_name, "ConsistentRead": consistent, "Limit": SCAN_PAGE,
        "FilterExpression": "begins_with(pk, :prefix)", "ExpressionAttributeValues": {":prefix": {"S": prefix}}}
    while True:
        with outside_tenant_scope():
            answer = table_client().scan(**request)
        found = [item for item in answer.get("Items", []) if item["pk"]["S"].startswith(prefix)]
        if found:
            yield found
        if "LastEvaluatedKey" not in answer:
            return
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def entity_of(raw: RawItem) -> str:
    """The item's type (its discriminator), ``?`` for an item without one."""
    return str(raw.get("entity", {}).get("S", "?"))


def model_of(raw: RawItem) -> type[Model]:
    """The model that reads the item (its protected attributes), ``Item`` when no model declares its type."""
    try:
        return Item._get_discriminator_class(raw) or Item
    except ValueError:  # a type no loaded model declares
        return Item


def put_items(tenant_id: str, items: Iterable[RawItem]) -> int:
    """Put ``items`` as they are, in the tenant's scope (each must be the tenant's): how many."""
    return _write(tenant_id, ({"PutRequest": {"Item": item}} for item in items))


def delete_items(tenant_id: str, items: Iterable[RawItem]) -> int:
    """Delete the items with these keys, in the tenant's scope: how many."""
    return _write(tenant_id, ({"DeleteRequest": {"Key": {"pk": item["pk"], "sk": item["sk"]}}} for item in items))


def _write(tenant_id: str, requests: Iterable[dict[str, Any]]) -> int:
    prefix, table, written = keys.tenant_prefix(tenant_id), settings().table_name, 0
    batch: list[dict[str, Any]] = []
    for request in requests:
        key = (request.get("PutRequest", {}).get("Item") or request["DeleteRequest"]["Key"])["pk"]["S"]
        if not key.startswith(prefix):
            raise ValueError(f"{key} is not an item of {tenant_id}")
        batch.append(request)
        if len(batch) == WRITE_BATCH:
            written += _batch(table, batch)
            batch = []
    return written + (_batch(table, batch) if batch else 0)


def _batch(table: str, batch: list[dict[str, Any]]) -> int:
    pending, attempt = batch, 0
    while pending:
        if attempt:
            time.sleep(_RETRY_SECONDS * 2 ** min(attempt, 5))  # throttled: back off before the rest
        answer = table_client().batch_write_item(RequestItems={table: pending})
        pending, attempt = answer.get("UnprocessedItems", {}).get(table, []), attempt + 1
    return len(batch)
