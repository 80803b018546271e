"""Shapes of the tenant's subscription: the state Stripe sets, the custom plan an operator sets, and the view."""

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from atrium.billing.plans.catalog import Feature, Interval, Limit, PlanId

# Stripe's subscription statuses.
SubscriptionStatus = Literal["active", "trialing", "past_due", "canceled", "unpaid", "incomplete",
                             "incomplete_expired", "paused"]


class SubscriptionState(BaseModel):
    """The tenant's subscription as Stripe last described it (``atrium.billing.api.apply_subscription_state``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: PlanId
    status: SubscriptionStatus
    interval: Interval | None = None
    current_period_start: AwareDatetime | None = None
    current_period_end: AwareDatetime | None = None
    trial_end: AwareDatetime | None = None
    cancel_at_period_end: bool = False
    # While past_due, the plan holds until then (the grace period); after it, the free plan's limits apply.
    grace_until: AwareDatetime | None = None
    stripe_customer_id: str | None = None
    stripe_subscription_id: str | None = None


class CustomPlan(BaseModel):
    """A plan for one tenant, set by an operator: a declared plan's features and limits, with some replaced."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Acme (negotiated)", "based_on": "professional", "features": ["audit_export", "sso"],
         "limits": {"seats": 40, "webhook_endpoints": None}}]})

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")]
    based_on: PlanId
    features: list[Feature] | None = Field(default=None, max_length=len(Feature),
                                           description="The features, instead of the base plan's")
    limits: dict[Limit, Annotated[int, Field(ge=0, le=10**15)] | None] = Field(
        default_factory=dict, description="Limits that replace the base plan's (null: no limit)")


class LimitOut(BaseModel):
    name: Limit
    allowed: int | None  # null: no limit
    usage: int | None  # null: not counted yet (metering)
    period: str | None  # what usage is counted over (month, minute); null: what exists now


class SubscriptionOut(BaseModel):
    plan: str  # the plan that applies now: a declared plan's id, or "custom"
    plan_name: str
    status: str  # a SubscriptionStatus; active for a tenant that never subscribed
    interval: str | None  # month, year
    current_period_start: str | None
    current_period_end: str | None
    trial_end: str | None
    cancel_at_period_end: bool
    features: list[Feature]
    limits: list[LimitOut]
