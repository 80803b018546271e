"""The tenant's payment account: the Stripe account its customers' payments (apps' payment links) go into."""

from typing import TYPE_CHECKING

from atrium.billing.payments.schemas import PaymentAccountOut, PaymentAccountSet
from atrium.billing.stripe.client import STRIPE_FAILURES
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.billing.payments import accounts
else:
    (accounts,) = lazy_modules("atrium.billing.payments", "accounts")

router = ContextRouter("billing")
PATH = "/v1/billing/payment-account"


@router.get(PATH, name="get_payment_account", permission="billing:read", grants=READ)
def get_payment_account(principal: CurrentPrincipal) -> PaymentAccountOut:
    """The Stripe account the tenant's customers pay into (null: the platform's)."""
    return accounts.get_payment_account(principal)


@router.put(PATH, name="set_payment_account", permission="billing:manage", step_up=True,
            grants={*WRITE, Grant.STRIPE_API_KEY_READ},
            responses={422: {"description": "Not an account connected to the platform, or one taking no charges"},
                       **STRIPE_FAILURES})
def set_payment_account(body: PaymentAccountSet, principal: CurrentPrincipal,
                        info: CurrentRequest) -> PaymentAccountOut:
    """Take the customers' payments on the tenant's own Stripe account, connected to the platform (Stripe Connect),
    or (null) on the platform's. Payment links made from now on go there; those made before keep their account."""
    return accounts.set_payment_account(principal, body, info)
