"""Lists of assemblies, each page one Query: a site's and a customer's (gsi2: the customer's collection, ordered by
site), and the tenant's due and overdue lists (gsi1: the tenant's assemblies ordered by next due date, untested
ones last). The due lists are keyed on the due date itself, so they are right on the day they are read, before the
daily job moves any stored status."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from pynamodb.expressions.condition import Condition
from pynamodb.pagination import ResultIterator

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.assemblies.due_dates import DUE_SOON_DAYS
from atrium.apps.fieldwork.assemblies.models import CUSTOMER_ASSEMBLIES, AssemblyItem
from atrium.apps.fieldwork.assemblies.schemas import AssemblyList
from atrium.apps.fieldwork.assemblies.service import shown
from atrium.apps.fieldwork.customers.models import CustomerItem, SiteItem
from atrium.apps.fieldwork.customers.service import load_customer, load_site
from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.tenancy import Principal


def _page(run_query: Callable[[dict[str, Any] | None], ResultIterator[Item]], principal: Principal, *,
          cursor: str | None, query: str) -> AssemblyList:
    """One page (``fetch_page``; ``query`` names the list its cursors are bound to), as the API shows it."""
    page = fetch_page(run_query, cursor=cursor, tenant_id=principal.tenant_id, query=query)
    return AssemblyList(data=[shown(a) for a in page.items if isinstance(a, AssemblyItem)],
                        next_cursor=page.next_cursor)


def _of_customer(principal: Principal, customer_id: str, within: Condition | None, *, limit: int,
                 cursor: str | None, query: str) -> AssemblyList:
    collection = keys.bucketed_collection_pk(principal.tenant_id, CUSTOMER_ASSEMBLIES, customer_id)
    return _page(lambda start: AssemblyItem.gsi2.query(collection, within, limit=limit, page_size=limit,
                                                       last_evaluated_key=start),
                 principal, cursor=cursor, query=query)


def list_assemblies(principal: Principal, site_id: str, *, limit: int, cursor: str | None) -> AssemblyList:
    """Oldest first. The site is read first, so another tenant's site is a 404, not an empty list."""
    site = load_site(principal.tenant_id, site_id)
    records.check_customer(principal, site.customer_id, SiteItem, site_id)
    return _of_customer(principal, site.customer_id, AssemblyItem.gsi2sk.startswith(f"{site.id}#"), limit=limit,
                        cursor=cursor, query=f"fieldwork:assemblies:{site.id}")


def list_customer_assemblies(principal: Principal, customer_id: str, *, limit: int,
                             cursor: str | None) -> AssemblyList:
    """By site (oldest site first), each site's oldest first. The customer is read first (404)."""
    records.check_customer(principal, customer_id, CustomerItem, customer_id)
    customer = load_customer(principal.tenant_id, customer_id)
    return _of_customer(principal, customer.id, None, limit=limit, cursor=cursor,
                        query=f"fieldwork:customer_assemblies:{customer.id}")


def _by_due_date(principal: Principal, before: str, *, limit: int, cursor: str | None, query: str) -> AssemblyList:
    """The tenant's assemblies due before ``before`` (a key prefix: a date, or a date and ``$`` to include it),
    earliest first."""
    collection = keys.collection_pk(principal.tenant_id, AssemblyItem.type_name())
    return _page(lambda start: AssemblyItem.gsi1.query(collection, AssemblyItem.gsi1sk < before, limit=limit,
                                                       page_size=limit, last_evaluated_key=start),
                 principal, cursor=cursor, query=query)


def list_due_assemblies(principal: Principal, before: dt.date | None, *, limit: int,
                        cursor: str | None) -> AssemblyList:
    """Due on or before ``before`` (by default: overdue or due within ``DUE_SOON_DAYS`` days), earliest first."""
    last = before or clock.now().date() + dt.timedelta(days=DUE_SOON_DAYS)
    # Every key of that day ("<date>#<id>") sorts below "<date>$".
    return _by_due_date(principal, f"{last.isoformat()}$", limit=limit, cursor=cursor,
                        query=f"fieldwork:due_assemblies:{before}")


def list_overdue_assemblies(principal: Principal, *, limit: int, cursor: str | None) -> AssemblyList:
    """Due before today, the longest overdue first."""
    return _by_due_date(principal, clock.now().date().isoformat(), limit=limit, cursor=cursor,
                        query="fieldwork:overdue_assemblies")
