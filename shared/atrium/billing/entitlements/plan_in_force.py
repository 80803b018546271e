"""Which plan applies to a tenant now, from its subscription item:

- an operator's custom plan, whatever Stripe says (a deal billed outside Stripe);
- else the subscribed plan while the subscription is active or trialing, or past due within its grace period;
- else (canceled, unpaid, past the grace period...) the free plan: nothing is deleted, creating more is refused;
- and a tenant with no subscription item is on the default plan (``ATRIUM_BILLING_DEFAULT_PLAN``, free).

A reader that already batch-reads the tenant's items (the authorizer) adds ``subscription_key`` to its read and
takes the plan from what it found with ``plan_among``, rather than a GetItem of its own.
"""

from collections.abc import Iterable
from types import MappingProxyType

from atrium.billing.plans.catalog import PLANS, Plan, PlanId
from atrium.billing.subscriptions.models import SUBSCRIPTION_ID, SubscriptionItem
from atrium.billing.subscriptions.schemas import CustomPlan
from atrium.billing.subscriptions.store import find_subscription
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

CUSTOM = "custom"
_ENTITLED = frozenset({"active", "trialing"})


def custom_plan(custom: CustomPlan) -> Plan:
    base = PLANS[custom.based_on]
    features = base.features if custom.features is None else frozenset(custom.features)
    return Plan(CUSTOM, custom.name, features, MappingProxyType({**base.limits, **custom.limits}), MappingProxyType({}))


def plan_in_force(item: SubscriptionItem | None) -> Plan:
    if item is None:
        return PLANS[PlanId(settings().billing_default_plan)]
    if item.custom_plan is not None:
        return custom_plan(CustomPlan.model_validate(item.custom_plan))
    if item.plan is None:  # a custom plan was removed before any subscription
        return PLANS[PlanId(settings().billing_default_plan)]
    in_grace = item.status == "past_due" and (item.grace_until is None or clock.now() < item.grace_until)
    return PLANS[PlanId(item.plan)] if item.status in _ENTITLED or in_grace else PLANS[PlanId.FREE]


def tenant_plan(tenant_id: str) -> Plan:
    """The plan in force for ``tenant_id`` (one GetItem, eventually consistent); call in the tenant's scope."""
    return plan_in_force(find_subscription(tenant_id))


def subscription_key(tenant_id: str) -> tuple[str, str]:
    """The key of the tenant's subscription item, to read in a BatchGetItem with other items."""
    return keys.entity_pk(tenant_id, SubscriptionItem.type_name(), SUBSCRIPTION_ID), keys.ENTITY_SK


def plan_among(found: Iterable[Item]) -> Plan:
    """The plan in force, from the items of a read that asked for ``subscription_key`` (none found: never
    subscribed)."""
    return plan_in_force(next((item for item in found if isinstance(item, SubscriptionItem)), None))
