"""API shapes of the plans: what each allows and costs."""

from pydantic import BaseModel

from atrium.billing.plans.catalog import Interval, Plan, price_id


class PriceOut(BaseModel):
    interval: Interval
    amount_cents: int
    currency: str
    stripe_price_id: str | None  # null while the stage has no Stripe price for it (settings)


class PlanOut(BaseModel):
    id: str
    name: str
    features: list[str]
    limits: dict[str, int | None]  # null: no limit
    prices: list[PriceOut]  # none for the free plan and custom plans
    per_seat: bool  # each price is per seat (active member) and interval


class PlanList(BaseModel):
    data: list[PlanOut]


def plan_out(plan: Plan) -> PlanOut:
    prices = [PriceOut(interval=interval, amount_cents=amount, currency="usd",
                       stripe_price_id=price_id(plan.id, interval))
              for interval, amount in plan.amounts_cents.items()]
    return PlanOut(id=plan.id, name=plan.name, features=sorted(plan.features),
                   limits={limit.value: allowed for limit, allowed in plan.limits.items()}, prices=prices,
                   per_seat=plan.per_seat)
