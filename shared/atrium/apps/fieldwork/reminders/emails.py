"""The reminder email, to the customer's billing contact: the handler of the consumer
``fieldwork.email_due_reminders`` (events ``fieldwork.assembly.due_soon`` and ``.overdue``). The consumer runtime
records each event id, so a redelivered event sends nothing again: one event, one email."""

import datetime as dt
from typing import Any

from atrium.apps.fieldwork.assemblies.schemas import AssemblyChanged, Reminder
from atrium.apps.fieldwork.customers.models import CustomerItem, SiteItem
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger
from atrium.kernel.store.reads import Found
from atrium.mail.api import Category, Email, send_email

TEMPLATE = "notice"
# The customer has no account here, so no preference of theirs applies: a notice about their own equipment.
CATEGORY = Category.CUSTOMER_NOTICES


def _day(date: dt.date) -> str:
    return f"{date:%B} {date.day}, {date.year}"


def _address(address: dict[str, str]) -> str:
    place = " ".join(part for part in (address.get("region"), address.get("postal_code")) if part)
    return ", ".join(part for part in (address["line1"], address.get("line2"), address["city"], place) if part)


def reminder_context(assembly: AssemblyChanged, name: str, site: SiteItem, today: dt.date) -> dict[str, Any]:
    """What the template shows of the assembly (due on ``assembly.next_due_date``), to ``name``, on ``today``."""
    due = assembly.next_due_date
    assert due is not None  # a reminder is of a due date
    what = f"{assembly.type} {assembly.make} {assembly.model}, serial {assembly.serial}"
    if assembly.last_reminder == Reminder.OVERDUE:
        headline = f"Backflow test overdue since {_day(due)}: {assembly.type} {assembly.serial}"
        message = (f"The backflow assembly below ({what}) at {site.name} was due for its test on {_day(due)}, and "
                   "no passing test has been recorded since. Your water district requires it to be tested: please "
                   "schedule the test now.")
    else:
        headline = f"Backflow test due {_day(due)}: {assembly.type} {assembly.serial}"
        message = (f"The backflow assembly below ({what}) at {site.name} is due for its test on {_day(due)}, in "
                   f"{(due - today).days} days. Please schedule the test before then: your water district requires a "
                   "passing test by that day.")
    details = [("Assembly", f"{assembly.type} {assembly.make} {assembly.model}"), ("Serial", assembly.serial),
               ("Site", f"{site.name}, {_address(site.address)}"), ("Location", assembly.location or "-"),
               ("Last passed test", _day(assembly.last_test_date) if assembly.last_test_date else "-"),
               ("Due", _day(due))]
    return {"recipient": name, "headline": headline, "message": message, "details": details}


def email_due_reminder(event: Envelope) -> None:
    assembly = AssemblyChanged.model_validate(event.data)
    found = Found([CustomerItem(tenant_id=event.tenant_id, id=assembly.customer_id),
                   SiteItem(tenant_id=event.tenant_id, id=assembly.site_id, customer_id=assembly.customer_id)])
    customer, site = found.get(CustomerItem), found.get(SiteItem)
    if customer is None or site is None:  # the assembly, then its site and customer, deleted since
        logger.info("due reminder not sent: the customer is gone", extra={"assembly_id": assembly.id})
        return
    contact = customer.billing_contact
    send_email(Email(to=contact["email"], template=TEMPLATE, category=CATEGORY,
                     context=reminder_context(assembly, contact["name"], site, event.occurred_at.date())))
