"""The tenant's subscription: one item per tenant (``T#<tenant>#Subscription#subscription``). A tenant without one
is on the default plan (``ATRIUM_BILLING_DEFAULT_PLAN``, free)."""

from pynamodb.attributes import BooleanAttribute, JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.models import TenantEntity

SUBSCRIPTION_ID = "subscription"


class SubscriptionItem(TenantEntity, discriminator="Subscription"):
    """What Stripe last said of the tenant's subscription (``stripe_as_of``: the time of the Stripe event it came
    from, so an older event never overwrites a newer state), and the custom plan an operator set, if any."""

    # Null until Stripe reports a subscription (the item may hold only a custom plan).
    plan = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    interval = UnicodeAttribute(null=True)
    current_period_start = UTCDateTimeAttribute(null=True)
    current_period_end = UTCDateTimeAttribute(null=True)
    trial_end = UTCDateTimeAttribute(null=True)
    cancel_at_period_end = BooleanAttribute(default=False)
    # While past_due, the plan holds until then (dunning's grace period); after it, the free plan applies.
    grace_until = UTCDateTimeAttribute(null=True)
    stripe_customer_id = UnicodeAttribute(null=True)
    stripe_subscription_id = UnicodeAttribute(null=True)
    stripe_as_of = UTCDateTimeAttribute(null=True)
    custom_plan = JSONAttribute(null=True)  # a CustomPlan, as JSON
