"""The plans, declared once: what each allows (features, limits) and what it costs (Stripe prices by interval).

A feature is a yes or no; a limit is a number, or None for no limit. The Stripe price ids are a setting
(``ATRIUM_STRIPE_PRICE_IDS``: plan, then interval, to price id): the same plans sell through the local Stripe fake,
Stripe's test mode and its live mode. A tenant may instead be on a custom plan an operator set
(``billing/subscriptions``), built on one of these.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from atrium.kernel.config import settings


class Feature(StrEnum):
    PLUGINS = "plugins"
    SSO = "sso"
    AI_SCORING = "ai_scoring"
    AUDIT_EXPORT = "audit_export"
    CUSTOM_ROLES = "custom_roles"


class Limit(StrEnum):
    SEATS = "seats"
    PROOFS_PER_MONTH = "proofs_per_month"
    STORAGE_BYTES = "storage_bytes"
    WEBHOOK_ENDPOINTS = "webhook_endpoints"
    API_REQUESTS_PER_MINUTE = "api_requests_per_minute"
    AI_SPEND_CENTS_PER_MONTH = "ai_spend_cents_per_month"

    @property
    def period(self) -> str | None:
        """The period a limit's usage is counted over (None: what exists now, such as members)."""
        return self.value.rpartition("_per_")[2] if "_per_" in self.value else None


class PlanId(StrEnum):
    FREE = "free"
    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"


class Interval(StrEnum):
    MONTHLY = "month"  # Stripe's words (a price's recurring interval)
    YEARLY = "year"


Limits = Mapping[Limit, int | None]


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    features: frozenset[Feature]
    limits: Limits
    # What the plan costs per interval, in cents (USD); the Stripe price says the same to Stripe.
    amounts_cents: Mapping[Interval, int]
    # Priced per seat: the subscription's quantity is the tenant's active members (billing/sync/seats.py).
    per_seat: bool = False

    def allows(self, feature: Feature) -> bool:
        return feature in self.features

    def limit(self, limit: Limit) -> int | None:
        return self.limits.get(limit)


GIB = 1024**3
PLANS: Mapping[PlanId, Plan] = MappingProxyType({
    PlanId.FREE: Plan(PlanId.FREE, "Free", frozenset(), MappingProxyType({
        Limit.SEATS: 3, Limit.PROOFS_PER_MONTH: 50, Limit.STORAGE_BYTES: 1 * GIB, Limit.WEBHOOK_ENDPOINTS: 1,
        Limit.API_REQUESTS_PER_MINUTE: 60, Limit.AI_SPEND_CENTS_PER_MONTH: 0}), MappingProxyType({})),
    PlanId.PROFESSIONAL: Plan(
        PlanId.PROFESSIONAL, "Professional", frozenset({Feature.AI_SCORING, Feature.AUDIT_EXPORT}),
        MappingProxyType({Limit.SEATS: 10, Limit.PROOFS_PER_MONTH: 1000, Limit.STORAGE_BYTES: 50 * GIB,
                          Limit.WEBHOOK_ENDPOINTS: 10, Limit.API_REQUESTS_PER_MINUTE: 600,
                          Limit.AI_SPEND_CENTS_PER_MONTH: 5000}),
        MappingProxyType({Interval.MONTHLY: 2900, Interval.YEARLY: 29000}), per_seat=True),
    PlanId.ENTERPRISE: Plan(
        PlanId.ENTERPRISE, "Enterprise", frozenset(Feature),
        MappingProxyType({Limit.SEATS: None, Limit.PROOFS_PER_MONTH: None, Limit.STORAGE_BYTES: 1024 * GIB,
                          Limit.WEBHOOK_ENDPOINTS: None, Limit.API_REQUESTS_PER_MINUTE: 3000,
                          Limit.AI_SPEND_CENTS_PER_MONTH: 50000}),
        MappingProxyType({Interval.MONTHLY: 9900, Interval.YEARLY: 99000}), per_seat=True),
})


def plans_with(feature: Feature) -> list[str]:
    """The declared plans that have ``feature``, cheapest first (what a 402 suggests)."""
    return [plan.id for plan in PLANS.values() if plan.allows(feature)]


def price_id(plan: str, interval: Interval) -> str | None:
    """The Stripe price of ``plan`` billed every ``interval``; None for the free plan or a price not configured."""
    return settings().stripe_price_ids.get(plan, {}).get(interval.value) or None


def plan_of_price(price: str) -> tuple[PlanId, Interval] | None:
    """Which plan and interval a Stripe price bills (a subscription names its price); None for a price not ours."""
    for plan in PLANS:
        for interval in Interval:
            if price_id(plan, interval) == price:
                return plan, interval
    return None
