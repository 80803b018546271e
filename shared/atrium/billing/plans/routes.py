"""The plans on sale, for anyone (a pricing page)."""

from atrium.billing.plans.catalog import PLANS
from atrium.billing.plans.schemas import PlanList, plan_out
from atrium.kernel.http.routing import PUBLIC, ContextRouter

router = ContextRouter("billing")


@router.get("/v1/plans", name="list_plans", permission=PUBLIC)
def list_plans() -> PlanList:
    """Every plan, cheapest first: its features, its limits (null: none) and its prices with their Stripe ids."""
    return PlanList(data=[plan_out(plan) for plan in PLANS.values()])
