"""Entitlement checks: a route declares the feature it needs (``feature=FeatureGate(...)``, checked with its
permission); a service asks for room under a limit before it creates more (it knows how to count its usage).
Each check reads the subscription once; nothing is checked on reads, so data over a lower plan's limit stays
readable."""

from collections.abc import Callable
from dataclasses import dataclass

from atrium.billing.entitlements.errors import FeatureNotInPlan, LimitReached
from atrium.billing.entitlements.plan_in_force import tenant_plan
from atrium.billing.plans.catalog import Feature, Limit


def require_feature(tenant_id: str, feature: Feature) -> None:
    """402 (feature-not-in-plan) unless the tenant's plan has ``feature``."""
    plan = tenant_plan(tenant_id)
    if not plan.allows(feature):
        raise FeatureNotInPlan(feature, plan)


def require_room(tenant_id: str, limit: Limit, *, usage: Callable[[], int], requested: int | None = None) -> None:
    """402 (plan-limit-reached) when ``usage()`` (what exists, or what was used this period) has reached the
    plan's ``limit``, so one more would pass it; or, given ``requested`` (an amount such as bytes), when that
    much more would. ``usage`` is not called when the plan sets no limit."""
    plan = tenant_plan(tenant_id)
    allowed = plan.limit(limit)
    if allowed is None:
        return
    used = usage()
    if used + (1 if requested is None else requested) > allowed:
        raise LimitReached(limit, usage=used, allowed=allowed, plan=plan, requested=requested)


@dataclass(frozen=True)
class FeatureGate:
    """What a route declares as ``feature=`` (``atrium.kernel.http.routing.PlanFeature``)."""

    feature: Feature

    def __str__(self) -> str:
        return self.feature.value

    def check(self, tenant_id: str) -> None:
        require_feature(tenant_id, self.feature)
