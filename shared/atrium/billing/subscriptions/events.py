"""Event types of the tenant's subscription, in the tenant's stream (and audit log)."""

from pydantic import BaseModel

from atrium.billing.subscriptions.schemas import CustomPlan
from atrium.kernel.events.catalog import EventType


class SubscriptionChanged(BaseModel):
    plan: str
    status: str
    previous_plan: str | None
    previous_status: str | None
    cancel_at_period_end: bool
    current_period_end: str | None


class CustomPlanChanged(BaseModel):
    custom_plan: CustomPlan | None  # null: removed, the subscription's plan applies again
    plan_in_force: str


SUBSCRIPTION_CHANGED = EventType("billing.subscription_changed", SubscriptionChanged,
                                 "Stripe reported a new state of the tenant's subscription (plan, status, period).",
                                 read_permission="billing:read")
CUSTOM_PLAN_CHANGED = EventType("billing.custom_plan_changed", CustomPlanChanged,
                                "An operator set or removed the tenant's custom plan.", read_permission="billing:read")

EVENT_TYPES = [SUBSCRIPTION_CHANGED, CUSTOM_PLAN_CHANGED]
