"""The tenant's subscription, as its members with billing:read see it."""

from typing import TYPE_CHECKING

from atrium.billing.subscriptions.schemas import SubscriptionOut
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.billing.subscriptions import view
else:
    (view,) = lazy_modules("atrium.billing.subscriptions", "view")

router = ContextRouter("billing")


@router.get("/v1/billing/subscription", name="get_subscription", permission="billing:read",
            grants={Grant.TABLE_READ})
def get_subscription(principal: CurrentPrincipal) -> SubscriptionOut:
    """The plan in force, the subscription's status, period, trial end and cancel-at-period-end, and each of the
    plan's limits with the tenant's usage (null where it is not counted yet)."""
    return view.subscription_view(principal.tenant_id)
