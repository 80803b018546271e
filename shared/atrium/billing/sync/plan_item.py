"""Which item of a Stripe subscription is the plan's: the one billing a plan's own price (``stripe_price_ids``).

A subscription has an item per price: the plan's price (quantity: its seats, or 1) and a metered price per meter
reported (``stripe_metered_price_ids``, no quantity), in any order. The plan, the interval and the seats are the
plan item's; the metered items bill the usage reported and say nothing Atrium keeps, so they are passed over
whatever their price.
"""

from typing import TYPE_CHECKING

from atrium.billing.plans.catalog import Interval, PlanId, plan_of_price

if TYPE_CHECKING:
    import stripe


class UnknownPrice(Exception):
    """The subscription bills no price of a plan (``stripe_price_ids``): the event waits in the DLQ for the
    setting to be fixed, then is redriven."""


def plan_item(subscription: "stripe.Subscription") -> tuple["stripe.SubscriptionItem", PlanId, Interval]:
    """The item billing the plan's price, with that plan and interval; ``UnknownPrice`` when no item does."""
    items = subscription["items"].data
    for item in items:
        if (found := plan_of_price(item.price.id)) is not None:
            return item, *found
    prices = ", ".join(item.price.id for item in items) or "none"
    raise UnknownPrice(f"subscription {subscription.id} bills no plan's price (its prices: {prices})")
