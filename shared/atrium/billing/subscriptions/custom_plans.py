"""An operator's custom plan for one tenant: it applies whatever the Stripe subscription says, until removed.
Written in the tenant's log (audit entry, ``billing.custom_plan_changed``), naming the operator."""

from atrium.billing.entitlements.plan_in_force import plan_in_force
from atrium.billing.plans.catalog import Plan
from atrium.billing.subscriptions.events import CUSTOM_PLAN_CHANGED, CustomPlanChanged
from atrium.billing.subscriptions.models import SUBSCRIPTION_ID, SubscriptionItem
from atrium.billing.subscriptions.schemas import CustomPlan
from atrium.billing.subscriptions.store import find_subscription
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of, tenant_scope


def set_custom_plan(operator: Principal, tenant_id: str, custom: CustomPlan, info: RequestInfo) -> Plan:
    """Put ``tenant_id`` (an existing tenant: the caller checks) on ``custom``; the plan now in force."""
    with tenant_scope(tenant_id):
        found = find_subscription(tenant_id, consistent=True)
        item = found or SubscriptionItem(tenant_id=tenant_id, id=SUBSCRIPTION_ID)
        item.custom_plan = custom.model_dump(mode="json")
        return _commit(operator, info, item, custom, new=found is None)


def remove_custom_plan(operator: Principal, tenant_id: str, info: RequestInfo) -> Plan:
    """Back to the subscription's plan (or the default); 404 when the tenant has no custom plan."""
    with tenant_scope(tenant_id):
        item = find_subscription(tenant_id, consistent=True)
        if item is None or item.custom_plan is None:
            raise NotFound("the tenant has no custom plan")
        item.custom_plan = None
        return _commit(operator, info, item, None, new=False)


def _commit(operator: Principal, info: RequestInfo, item: SubscriptionItem, custom: CustomPlan | None, *,
            new: bool) -> Plan:
    plan = plan_in_force(item)
    uow = UnitOfWork(item.tenant_id, actor_of(operator), info)
    if new:
        uow.create(item, conflict=PreconditionFailed("the subscription changed meanwhile; retry"))
    else:
        uow.save(item)
    uow.record(CUSTOM_PLAN_CHANGED.name, subject=Ref(type="subscription", id=item.tenant_id),
               data=CustomPlanChanged(custom_plan=custom, plan_in_force=plan.id).model_dump(mode="json"))
    uow.commit()
    return plan
