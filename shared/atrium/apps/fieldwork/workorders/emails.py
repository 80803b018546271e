"""The customer's emails about a visit: when a work order is scheduled (or moved), and when one that had a day is
canceled, its billing contact is told the day, the window, where, and which assemblies.

The handler of the consumer ``fieldwork.email_work_order_status``; the consumer runtime records each event id, so a
redelivered event sends nothing again. The customer, the assemblies and their sites are read when the event is
handled (two BatchGetItems): an assembly deleted since is left out.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.customers.models import CustomerItem, SiteItem
from atrium.apps.fieldwork.events import WORK_ORDER_CANCELED
from atrium.apps.fieldwork.workorders.schemas import WorkOrderChanged
from atrium.apps.fieldwork.workorders.service import read_customer_and_assemblies
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.mail.api import Category, Email, send_email

TEMPLATE = "notice"
# Transactional: the billing contact is the tenant's customer, not a member with preferences.
CATEGORY = Category.CUSTOMER_NOTICES


def _sites(tenant_id: str, site_ids: Iterable[str]) -> dict[str, SiteItem]:
    wanted = [(keys.entity_pk(tenant_id, SiteItem.type_name(), site_id), keys.ENTITY_SK) for site_id in set(site_ids)]
    return {site.id: site for site in Item.batch_get(wanted) if isinstance(site, SiteItem)} if wanted else {}


def _place(site: SiteItem | None) -> str:
    if site is None:
        return "a site no longer on record"
    address = site.address
    return ", ".join(part for part in (site.name, address.get("line1"), address.get("line2"), address.get("city"))
                     if part)


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def notice(order: WorkOrderChanged, customer: CustomerItem, assemblies: list[AssemblyItem],
           sites: dict[str, SiteItem], *, canceled: bool) -> dict[str, Any]:
    """The ``notice`` template's variables for ``order`` (which has a day and a window)."""
    assert order.scheduled_on is not None and order.window is not None
    day, window = _day(order.scheduled_on), f"{order.window.start} to {order.window.end}"
    contact = customer.billing_contact.get("name") or customer.name
    if canceled:
        headline = f"Backflow test canceled: {day}"
        message = (f"Dear {contact}, the backflow test visit to {customer.name} planned for {day}, {window}, is "
                   "canceled. We will be in touch to book another time.")
    else:
        headline = f"Backflow test scheduled: {day}, {window}"
        message = (f"Dear {contact}, our certified tester will visit {customer.name} on {day} between {window} to "
                   "test the backflow assemblies below. If you had a notice of another time for this visit, this one "
                   "replaces it.")
    by_id = {assembly.id: assembly for assembly in assemblies}
    listed = [by_id[assembly_id] for assembly_id in order.assembly_ids if assembly_id in by_id]
    places = dict.fromkeys(_place(sites.get(assembly.site_id)) for assembly in listed)
    details = [("Day", day), ("Window", window), *(("Site", place) for place in places),
               *(("Assembly", f"{a.type} {a.make} {a.model}, serial {a.serial}"
                  + (f" ({a.location})" if a.location else "")) for a in listed)]
    return {"headline": headline, "message": message, "details": details}


def email_customer(event: Envelope) -> None:
    """Email the customer's billing contact that the order was scheduled, moved or canceled; an order canceled
    before it had a day was never announced, and is not now."""
    order = WorkOrderChanged.model_validate(event.data)
    if order.scheduled_on is None or order.window is None:
        return
    customer, assemblies = read_customer_and_assemblies(event.tenant_id, order.customer_id, order.assembly_ids)
    if customer is None:  # not while it counts the order; a record restored without it, say
        return
    sites = _sites(event.tenant_id, (assembly.site_id for assembly in assemblies))
    context = notice(order, customer, assemblies, sites, canceled=event.type == WORK_ORDER_CANCELED.name)
    send_email(Email(to=customer.billing_contact["email"], template=TEMPLATE, category=CATEGORY, context=context))
