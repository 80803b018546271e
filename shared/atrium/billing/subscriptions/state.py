"""Setting the tenant's subscription from Stripe's events, newest first wins.

Stripe may deliver events late, out of order and more than once. Each state comes with ``as_of``, the time Stripe
produced it (the event's ``created``); the item keeps the ``as_of`` of the state it holds, and a state from earlier
is refused, so applying any order of the same events ends in the state of the newest. Stripe's times are whole
seconds: a different state with the same time is applied (the caller, in doubt, re-reads the subscription from
Stripe and applies that), the same state again is a duplicate and writes nothing.
"""

from datetime import datetime
from enum import Enum

from atrium.billing.subscriptions.events import SUBSCRIPTION_CHANGED, SubscriptionChanged
from atrium.billing.subscriptions.models import SUBSCRIPTION_ID, SubscriptionItem
from atrium.billing.subscriptions.schemas import SubscriptionState
from atrium.billing.subscriptions.store import find_subscription
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope

STRIPE = Ref(type="service", id="billing.stripe", name="Stripe")
_ATTEMPTS = 3  # a concurrent writer (another event, an operator) wins a race; read again and retry


def _state_of(item: SubscriptionItem) -> SubscriptionState | None:
    if item.plan is None or item.status is None:
        return None
    return SubscriptionState.model_validate({name: getattr(item, name) for name in SubscriptionState.model_fields})


def apply_subscription_state(tenant_id: str, state: SubscriptionState, *, as_of: datetime) -> bool:
    """Make ``state`` (as Stripe described it at ``as_of``, timezone-aware) the tenant's subscription. Returns
    False, writing nothing, when the tenant's subscription holds a state from later than ``as_of``, or this very
    state from the same time (a duplicate); True when written (one transaction: the item, an audit entry and a
    ``billing.subscription_changed`` event)."""
    with tenant_scope(tenant_id):
        for _ in range(_ATTEMPTS):
            found = find_subscription(tenant_id, consistent=True)
            if found is not None and found.stripe_as_of is not None and (
                    as_of < found.stripe_as_of or (as_of == found.stripe_as_of and _state_of(found) == state)):
                return False
            try:
                _write(tenant_id, found, state, as_of)
            except PreconditionFailed:
                continue
            return True
    raise Conflict("the subscription kept changing while its new state was applied")


def _write(tenant_id: str, found: SubscriptionItem | None, state: SubscriptionState, as_of: datetime) -> None:
    item = found or SubscriptionItem(tenant_id=tenant_id, id=SUBSCRIPTION_ID)
    previous_plan, previous_status = item.plan, item.status
    for name, value in state.model_dump().items():
        setattr(item, name, value.value if isinstance(value, Enum) else value)
    item.stripe_as_of = as_of
    uow = UnitOfWork(tenant_id, STRIPE, RequestInfo())
    if found is None:
        uow.create(item, conflict=PreconditionFailed("the subscription was created meanwhile"))
    else:
        uow.save(item)
    end = state.current_period_end
    uow.record(SUBSCRIPTION_CHANGED.name, subject=Ref(type="subscription", id=tenant_id),
               data=SubscriptionChanged(plan=state.plan, status=state.status, previous_plan=previous_plan,
                                        previous_status=previous_status,
                                        cancel_at_period_end=state.cancel_at_period_end,
                                        current_period_end=None if end is None else clock.iso(end)).model_dump(),
               metadata={"stripe_as_of": clock.iso(as_of)})
    uow.commit()
