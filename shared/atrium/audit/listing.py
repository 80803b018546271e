"""List a tenant's entries, newest first, filtered by actor, action prefix, target and time.

Entries sit in monthly buckets sorted by time (gsi1), so a time range is a key condition and the
other filters are filter expressions. A page walks buckets from the newest until it is full; it
stops after ``MAX_BUCKETS_PER_PAGE`` buckets, so a page can hold fewer than ``limit`` entries while
``next_cursor`` still leads on (a sparse log over a long range). The cursor records the bucket and
the position in it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist

from atrium.audit.state import read_state
from atrium.kernel import clock
from atrium.kernel.errors import NotFound
from atrium.kernel.ids import is_valid_id
from atrium.kernel.store import keys
from atrium.kernel.store.audit import AUDIT_ENTITY, AuditItem, canonical_json, month_bucket_pk, time_key
from atrium.kernel.store.cursors import decode_cursor, encode_cursor
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import Page

MAX_BUCKETS_PER_PAGE = 13  # a year and a month


@dataclass(frozen=True)
class AuditFilter:
    actor_id: str | None = None
    action_prefix: str | None = None
    target: str | None = None  # "type:id"
    since: datetime | None = None
    until: datetime | None = None


def list_entries(tenant_id: str, wanted: AuditFilter, *, limit: int, cursor: str | None) -> Page[AuditItem]:
    until = wanted.until or clock.now()
    since = wanted.since or _oldest_kept(tenant_id, until)
    query = canonical_json({"list": "audit", **{k: str(v) for k, v in vars(wanted).items() if v is not None}})
    state = decode_cursor(cursor, tenant_id=tenant_id, query=query) if cursor else {}
    month = _month(datetime.fromisoformat(state["month"]) if state else until)
    start: dict[str, Any] | None = state.get("start")
    items: list[AuditItem] = []
    for _ in range(MAX_BUCKETS_PER_PAGE):
        if month < _month(since):
            return Page(items, None)
        results = Item.gsi1.query(
            month_bucket_pk(tenant_id, month), Item.gsi1sk.between(time_key(since), time_key(until) + "~"),
            filter_condition=_condition(wanted), scan_index_forward=False, limit=limit - len(items),
            last_evaluated_key=start)
        items += [item for item in results if isinstance(item, AuditItem)]
        start = results.last_evaluated_key
        if start is None:
            month = _previous_month(month)
        if len(items) >= limit:
            break
    more = start is not None or month >= _month(since)
    next_cursor = encode_cursor({"month": month.isoformat(), "start": start}, tenant_id=tenant_id, query=query)
    return Page(items, next_cursor if more else None)


def _oldest_kept(tenant_id: str, until: datetime) -> datetime:
    """Without ``since``: as far back as entries are kept, and no further than the chain's first entry
    (before anything is chained, the only entries are seconds old)."""
    state = read_state(tenant_id)
    kept_since = until - timedelta(days=state.retention_days)
    first = state.head.first_occurred_at or until - timedelta(days=1)
    return max(kept_since, first)


def _condition(wanted: AuditFilter) -> Any:
    conditions: list[Any] = []
    if wanted.actor_id:
        conditions.append(AuditItem.actor.id == wanted.actor_id)
    if wanted.action_prefix:
        conditions.append(AuditItem.action.startswith(wanted.action_prefix))
    if wanted.target:
        conditions.append(AuditItem.target_keys.contains(wanted.target))
    condition = None
    for each in conditions:
        condition = each if condition is None else condition & each
    return condition


def _month(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _previous_month(month: datetime) -> datetime:
    return _month(month - timedelta(days=1))


def get_entry(tenant_id: str, entry_id: str) -> AuditItem:
    missing = NotFound(f"audit event {entry_id} not found")
    if not is_valid_id(entry_id, "aud"):
        raise missing
    try:
        return AuditItem.get(keys.entity_pk(tenant_id, AUDIT_ENTITY, entry_id), keys.ENTITY_SK)
    except DoesNotExist:
        raise missing from None


def entries_between(tenant_id: str, since: datetime, until: datetime) -> Iterator[tuple[datetime, AuditItem]]:
    """Every entry from ``since`` to ``until``, oldest first, with the month bucket it came from (an export
    reports progress by month)."""
    month = _month(since)
    while month <= until:
        condition = Item.gsi1sk.between(time_key(since), time_key(until) + "~")
        for item in Item.gsi1.query(month_bucket_pk(tenant_id, month), condition):
            if isinstance(item, AuditItem):
                yield month, item
        month = _month(month + timedelta(days=32))
