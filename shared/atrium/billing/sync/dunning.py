"""Dunning: a past_due subscription keeps its plan for a grace period (``billing_grace_days``, from when Atrium
first sees it past due), then the free plan's limits apply (``entitlements.plan_in_force``); nothing is deleted.
Each failed invoice is announced once to the tenant's billing contacts (its billing members, else its admins).

The email is ``account`` mail (transactional): it is about the workspace itself and must reach whoever pays,
so nobody's preferences switch it off.
"""

from datetime import timedelta
from typing import Any

from atrium import manifest
from atrium.billing.plans.catalog import PLANS
from atrium.billing.subscriptions.schemas import SubscriptionState
from atrium.billing.subscriptions.state import STRIPE
from atrium.billing.subscriptions.store import find_subscription
from atrium.billing.sync.models import DunningNoticeItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.mail.api import Category, Email, send_email

TEMPLATE = "notification"
CATEGORY = Category.ACCOUNT


class _Announced(Conflict):
    """The failed invoice was announced before."""


class NoticeNotSent(Exception):
    """Some billing contacts could not be emailed; the event is retried (the others may get a second copy)."""


def with_grace(tenant_id: str, state: SubscriptionState) -> SubscriptionState:
    """``state`` with its grace end: the stored one while the subscription stays past due, else now + the
    setting's days; none when not past due."""
    if state.status != "past_due":
        return state.model_copy(update={"grace_until": None})
    with tenant_scope(tenant_id):
        stored = find_subscription(tenant_id, consistent=True)
    if stored is not None and stored.status == "past_due" and stored.grace_until is not None:
        return state.model_copy(update={"grace_until": stored.grace_until})
    return state.model_copy(update={"grace_until": clock.now() + timedelta(days=settings().billing_grace_days)})


def _amount(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency.upper()}"


def _message(invoice: dict[str, Any], state: SubscriptionState) -> dict[str, str]:
    plan = PLANS[state.plan].name
    until = "" if state.grace_until is None else f" until {state.grace_until.strftime('%Y-%m-%d %H:%M UTC')}"
    number = invoice.get("number") or invoice["id"]
    return {
        "headline": f"Payment failed for your {plan} plan",
        "message": (f"Stripe could not collect {_amount(invoice['amount_due'], invoice['currency'])} for invoice "
                    f"{number}. The {plan} plan stays in force{until}; after that the Free plan's limits apply "
                    "(nothing is deleted, but creating more beyond them is refused). Pay the invoice, or update "
                    "the payment method in the billing portal."),
        "action_url": invoice.get("hosted_invoice_url") or f"{settings().web_url.rstrip('/')}/billing",
        "action_label": "Pay the invoice",
    }


def announce_failed_invoice(tenant_id: str, invoice: dict[str, Any], state: SubscriptionState) -> None:
    """Email the billing contacts about ``invoice`` (Stripe's, as the event carried it) once per invoice: the
    notice item is claimed first; if a send fails the claim is released and the event retried."""
    with tenant_scope(tenant_id):
        notice = DunningNoticeItem(tenant_id=tenant_id, id=invoice["id"])
        uow = UnitOfWork(tenant_id, STRIPE, RequestInfo())
        uow.create(notice, conflict=_Announced("announced"))
        uow.record("billing.payment_failed_notice", subject=Ref(type="invoice", id=invoice["id"]),
                   data={"invoice": invoice["id"], "grace_until": state.grace_until and clock.iso(state.grace_until)},
                   emit=False)
        try:
            uow.commit()
        except _Announced:
            return
        context = _message(invoice, state)
        failed = []
        for contact in manifest.billing_contacts()(tenant_id):
            try:
                send_email(Email(to=contact.email, template=TEMPLATE, category=CATEGORY, context=context,
                                 user_id=contact.user_id))
            except Exception:
                logger.exception("dunning email not sent", extra={"user_id": contact.user_id})
                failed.append(contact.user_id)
        if failed:
            notice.delete()
            raise NoticeNotSent(f"{len(failed)} billing contact(s) not emailed about invoice {invoice['id']}")
