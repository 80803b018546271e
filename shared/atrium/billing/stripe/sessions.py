"""Checkout Sessions (a plan bought, in subscription mode) and Customer Portal sessions, for the tenant's customer.

Each plan's Stripe price per interval is the plan catalog's (the ``stripe_price_ids`` setting), with the plan's
metered prices of that interval beside it (``stripe_metered_price_ids``); the browser comes back to the web app's
billing page (``web_url``)."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from atrium.billing.plans.catalog import PLANS, Interval, PlanId, price_id
from atrium.billing.plans.metered_prices import MeteredPricesMisconfigured, metered_price_ids
from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.billing.stripe.customers import ensure_customer
from atrium.billing.stripe.schemas import CheckoutCreate, CheckoutSessionOut, PortalSessionOut
from atrium.billing.sync.seats import billed_seats
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Unavailable, Unprocessable
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium.kernel.tenancy import Principal

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParamsLineItem


def checkout_price(plan: str, interval: Interval) -> str:
    """The Stripe price of ``plan`` billed each ``interval`` (``plans.catalog.price_id``), or a 422 naming the field
    at fault."""
    sold = sorted(name for name in PLANS if any(price_id(name, each) for each in Interval))
    if plan not in sold:
        raise Unprocessable("this plan is not sold through Checkout", errors=[
            {"field": "body.plan", "message": f"one of {', '.join(sold) or 'none (no prices configured)'}"}])
    price = price_id(plan, interval)
    if price is None:
        billed = ", ".join(each.value for each in Interval if price_id(plan, each))
        raise Unprocessable(f"the {plan} plan is not billed each {interval.value}", errors=[
            {"field": "body.interval", "message": f"one of {billed}"}])
    return price


def checkout_metered_prices(plan: str, interval: Interval) -> list[str]:
    """The plan's metered prices of ``interval`` (``metered_price_ids``). A setting naming a meter not reported is
    a 503: the stage is misconfigured, and no tenant should subscribe to a plan billed without its usage."""
    try:
        return list(metered_price_ids(plan, interval).values())
    except MeteredPricesMisconfigured as error:
        logger.error("stripe metered prices misconfigured", extra={"detail": str(error)})
        raise Unavailable(f"Checkout is not configured right: {error}") from None


def _billing_page(outcome: str | None = None) -> str:
    page = f"{settings().web_url.rstrip('/')}/billing"
    return f"{page}?checkout={outcome}" if outcome else page


def create_checkout(principal: Principal, body: CheckoutCreate, info: RequestInfo) -> CheckoutSessionOut:
    price = checkout_price(body.plan, body.interval)
    metered = checkout_metered_prices(body.plan, body.interval)
    customer = ensure_customer(principal, info)
    tenant_id = principal.tenant_id
    plan = {"tenant_id": tenant_id, "plan": body.plan, "interval": body.interval.value}
    quantity = billed_seats(tenant_id) if PLANS[PlanId(body.plan)].per_seat else 1
    # A metered price takes no quantity (Stripe refuses one): the usage reported is what it bills.
    metered_lines: list[SessionCreateParamsLineItem] = [{"price": each} for each in metered]
    line_items: list[SessionCreateParamsLineItem] = [{"price": price, "quantity": quantity}, *metered_lines]
    with calling_stripe("start a checkout"):
        session = stripe_client().v1.checkout.sessions.create(params={
            "mode": "subscription", "customer": customer, "client_reference_id": tenant_id,
            "line_items": line_items, "metadata": plan,
            "subscription_data": {"metadata": plan},
            "customer_update": {"name": "auto", "address": "auto"},
            "success_url": _billing_page("success"), "cancel_url": _billing_page("cancelled")})
    expires_at = datetime.fromtimestamp(session.expires_at, UTC)
    return CheckoutSessionOut(id=session.id, url=str(session.url), expires_at=clock.iso(expires_at))


def create_portal(principal: Principal, info: RequestInfo) -> PortalSessionOut:
    customer = ensure_customer(principal, info)
    with calling_stripe("open the customer portal"):
        session = stripe_client().v1.billing_portal.sessions.create(
            params={"customer": customer, "return_url": _billing_page()})
    return PortalSessionOut(url=session.url)
