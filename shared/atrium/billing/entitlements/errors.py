"""The 402 problems: a feature the tenant's plan lacks, a limit it has reached."""

from typing import Any, ClassVar

from atrium.billing.plans.catalog import Feature, Limit, Plan, plans_with
from atrium.kernel.errors import AtriumError


class PaymentRequired(AtriumError):
    status: ClassVar[int] = 402
    title: ClassVar[str] = "Payment Required"


class FeatureNotInPlan(PaymentRequired):
    slug = "feature-not-in-plan"

    def __init__(self, feature: Feature, plan: Plan) -> None:
        self.feature, self.plan, self.plans = feature, plan, plans_with(feature)
        super().__init__(f"the {feature} feature is not in the tenant's plan ({plan.name}); "
                         f"it comes with: {', '.join(self.plans)}")

    @property
    def extensions(self) -> dict[str, Any]:
        return {"feature": self.feature.value, "plan": self.plan.id, "plans": self.plans}


class LimitReached(PaymentRequired):
    slug = "plan-limit-reached"

    def __init__(self, limit: Limit, *, usage: int, allowed: int, plan: Plan, requested: int | None = None) -> None:
        self.limit, self.usage, self.allowed, self.plan, self.requested = limit, usage, allowed, plan, requested
        per = f" a {limit.period}" if limit.period else ""
        asked = "" if requested is None else f", {requested} more were asked"
        super().__init__(f"the tenant's plan ({plan.name}) allows {allowed} {limit}{per} and {usage} are used"
                         f"{asked}; upgrade the plan or make room")

    @property
    def extensions(self) -> dict[str, Any]:
        found = {"limit": self.limit.value, "usage": self.usage, "allowed": self.allowed,
                 "period": self.limit.period, "plan": self.plan.id}
        return found if self.requested is None else found | {"requested": self.requested}
