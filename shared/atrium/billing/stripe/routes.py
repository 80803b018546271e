"""Billing's Stripe routes: Checkout and the Customer Portal (``billing:manage``), the invoices (``billing:read``)."""

from typing import TYPE_CHECKING

from atrium.billing.stripe.client import STRIPE_FAILURES
from atrium.billing.stripe.schemas import CheckoutCreate, CheckoutSessionOut, InvoiceList, PortalSessionOut
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.billing.stripe import invoices, sessions
else:
    invoices, sessions = lazy_modules("atrium.billing.stripe", "invoices", "sessions")

router = ContextRouter("billing")

_SESSION_GRANTS = {*WRITE, Grant.STRIPE_API_KEY_READ}


@router.post("/v1/billing/checkout", name="create_checkout_session", permission="billing:manage",
             grants=_SESSION_GRANTS,
             responses={422: {"description": "A plan or interval not sold through Checkout"}, **STRIPE_FAILURES})
def create_checkout_session(body: CheckoutCreate, principal: CurrentPrincipal,
                            info: CurrentRequest) -> CheckoutSessionOut:
    """A Stripe Checkout page where the tenant subscribes to ``plan``, billed each ``interval``. The subscription
    starts when Stripe's events arrive (``/v1/hooks/stripe``), not with this answer."""
    return sessions.create_checkout(principal, body, info)


@router.post("/v1/billing/portal", name="create_portal_session", permission="billing:manage",
             grants=_SESSION_GRANTS, responses=STRIPE_FAILURES)
def create_portal_session(principal: CurrentPrincipal, info: CurrentRequest) -> PortalSessionOut:
    """Stripe's Customer Portal for the tenant: payment methods, billing details, invoices, cancelling."""
    return sessions.create_portal(principal, info)


@router.get("/v1/billing/invoices", name="list_invoices", permission="billing:read",
            grants={*READ, Grant.CURSOR_KEY_READ, Grant.STRIPE_API_KEY_READ}, responses=STRIPE_FAILURES)
def list_invoices(principal: CurrentPrincipal, paging: Paging) -> InvoiceList:
    """The tenant's Stripe invoices, newest first."""
    return invoices.list_invoices(principal, limit=paging.limit, cursor=paging.cursor)
