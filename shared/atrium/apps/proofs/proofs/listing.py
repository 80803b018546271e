"""Listing proofs by status, reviewer, owner or tag, and by due date: one Query of a list index per page.

Each list is a gsi2 collection of ``ProofIndexItem`` entries sorted by due date (proofs without one last), then
id; a due-date range is a key condition on any list, so every filter is exact paging with no scan. One of
status, reviewer, owner and tag can be combined with a due-date range.
"""

import datetime as dt
from dataclasses import dataclass

from pynamodb.expressions.condition import Condition

from atrium.apps.proofs.proofs.models import LISTING, NO_DUE_DATE, ProofIndexItem
from atrium.apps.proofs.proofs.schemas import ProofList, ProofOut, ProofStatus
from atrium.kernel.errors import Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.tenancy import Principal


@dataclass(frozen=True)
class ProofFilter:
    status: ProofStatus | None = None
    reviewer: str | None = None
    owner: str | None = None
    tag: str | None = None
    due_after: dt.date | None = None  # inclusive
    due_before: dt.date | None = None  # inclusive

    def index(self) -> tuple[str, str]:
        chosen = [(name, str(value)) for name, value in
                  (("status", self.status), ("reviewer", self.reviewer), ("owner", self.owner), ("tag", self.tag))
                  if value is not None]
        if len(chosen) > 1:
            raise Unprocessable("filter by one of status, reviewer, owner and tag (a due-date range may be added)",
                                errors=[{"field": f"query.{name}", "message": "combine with due dates only",
                                         "code": "one_filter"} for name, _ in chosen])
        return chosen[0] if chosen else ("all", "all")

    def describe(self) -> str:
        """What a cursor is bound to: the same filter, or the cursor is refused."""
        return f"proofs:{self.index()}:{self.due_after}:{self.due_before}"


def list_proofs(principal: Principal, where: ProofFilter, *, limit: int, cursor: str | None) -> ProofList:
    field, value = where.index()
    collection = keys.bucketed_collection_pk(principal.tenant_id, LISTING, f"{field}:{value}")
    low = where.due_after.isoformat() if where.due_after else None
    # An inclusive upper date: every key of that day sorts below "<date>$" ("#" < "$").
    high = f"{where.due_before.isoformat()}$" if where.due_before else None
    condition: Condition | None = None
    if low:  # a lower bound alone leaves out proofs with no due date ("~#…" sorts after "~")
        condition = ProofIndexItem.gsi2sk.between(low, high or NO_DUE_DATE)
    elif high:
        condition = ProofIndexItem.gsi2sk < high
    page = fetch_page(lambda start: ProofIndexItem.gsi2.query(collection, condition, limit=limit, page_size=limit,
                                                              last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=where.describe())
    return ProofList(data=[ProofOut.model_validate(entry.summary) for entry in page.items
                           if isinstance(entry, ProofIndexItem)], next_cursor=page.next_cursor)
