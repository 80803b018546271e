"""Reading the tenant's subscription item."""

from atrium.billing.subscriptions.models import SUBSCRIPTION_ID, SubscriptionItem
from atrium.kernel.errors import NotFound


def find_subscription(tenant_id: str, *, consistent: bool = False) -> SubscriptionItem | None:
    """One GetItem; None for a tenant that never subscribed nor got a custom plan."""
    try:
        return SubscriptionItem.load(tenant_id, SUBSCRIPTION_ID, consistent=consistent)
    except NotFound:
        return None
