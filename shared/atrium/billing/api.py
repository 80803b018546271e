"""Billing's public face: the plans, the checks other contexts make before they create more (features, limits),
the meters their metered events feed (``metered_events.py``) and the platform's usage per tenant (the operator
console), setting the tenant's subscription (the Stripe consumer) or custom plan (the operator console), and
payments an app takes from the tenant's customers through Stripe Checkout (``payment_checkout``; each completed one
is the tenant's ``billing.payment_completed`` event).

    @router.post(..., permission="audit:export", feature=FeatureGate(Feature.AUDIT_EXPORT))   # a route's feature
    require_room(tenant_id, Limit.SEATS, usage=lambda: count_seats(tenant_id))              # a service's limit
    require_metered_room(tenant_id, Limit.PROOFS_PER_MONTH)                                 # a metered limit

A check costs one GetItem of the tenant's subscription; a 402 problem says what is missing (docs/billing.md). A
reader batch-getting the tenant's items adds ``subscription_key(tenant_id)`` and takes ``plan_among(found)``.
"""

from atrium.billing.entitlements.gates import FeatureGate, require_feature, require_room
from atrium.billing.entitlements.plan_in_force import plan_among, subscription_key, tenant_plan
from atrium.billing.metering.meters import Meter, MeteredEvent
from atrium.billing.metering.schemas import PlatformUsagePage
from atrium.billing.metering.usage import platform_usage_page, require_metered_room
from atrium.billing.payments.checkout import payment_checkout
from atrium.billing.payments.events import PAYMENT_COMPLETED
from atrium.billing.payments.schemas import PaymentCompleted, PaymentLink, PaymentRequest
from atrium.billing.plans.catalog import Feature, Interval, Limit, Plan, PlanId, plan_of_price, price_id
from atrium.billing.plans.schemas import PlanOut, plan_out
from atrium.billing.subscriptions.custom_plans import remove_custom_plan, set_custom_plan
from atrium.billing.subscriptions.schemas import CustomPlan, SubscriptionState, SubscriptionStatus
from atrium.billing.subscriptions.state import apply_subscription_state

__all__ = ["PAYMENT_COMPLETED", "CustomPlan", "Feature", "FeatureGate", "Interval", "Limit", "Meter", "MeteredEvent",
           "PaymentCompleted", "PaymentLink", "PaymentRequest", "Plan", "PlanId", "PlanOut", "PlatformUsagePage",
           "SubscriptionState", "SubscriptionStatus", "apply_subscription_state", "payment_checkout",
           "plan_among", "plan_of_price", "plan_out", "platform_usage_page", "price_id", "remove_custom_plan",
           "require_feature", "require_metered_room", "require_room", "set_custom_plan", "subscription_key",
           "tenant_plan"]
