"""The subscription state Stripe's events set: whatever order and however often they arrive, the newest wins; and
which plan a state puts in force (grace period of past_due, cancellation)."""

from datetime import UTC, datetime, timedelta
from itertools import permutations

from atrium.billing.api import PlanId, SubscriptionState, apply_subscription_state, tenant_plan
from atrium.billing.subscriptions.store import find_subscription
from atrium.kernel import clock, ids
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned

T0 = datetime(2026, 5, 1, tzinfo=UTC)
EVENTS = [  # (as_of, state), oldest first: trial, paid, payment failed
    (T0, SubscriptionState(plan=PlanId.PROFESSIONAL, status="trialing", stripe_subscription_id="sub_1")),
    (T0 + timedelta(days=14), SubscriptionState(plan=PlanId.PROFESSIONAL, status="active", interval="month")),
    (T0 + timedelta(days=44), SubscriptionState(plan=PlanId.ENTERPRISE, status="past_due", interval="month",
                                                grace_until=T0 + timedelta(days=51))),
]


def _stored(tenant_id: str) -> tuple[SubscriptionState, datetime]:
    with tenant_scope(tenant_id):
        item = find_subscription(tenant_id, consistent=True)
    assert item is not None and item.stripe_as_of is not None
    state = SubscriptionState.model_validate({name: getattr(item, name) for name in SubscriptionState.model_fields})
    return state, item.stripe_as_of


def test_any_order_with_duplicates_ends_in_the_newest_state(aws: Provisioned) -> None:
    for order in permutations(EVENTS):
        tenant_id = ids.new_id("ten")
        applied = [apply_subscription_state(tenant_id, state, as_of=as_of) for as_of, state in [*order, order[0]]]
        assert _stored(tenant_id) == (EVENTS[-1][1], EVENTS[-1][0]), order
        assert applied[0] and not applied[-1]  # the first is written; a duplicate never is
        newest_at = next(i for i, event in enumerate(order) if event is EVENTS[-1])
        assert not any(applied[newest_at + 1:]), order  # nothing after the newest is written


def test_a_different_state_at_the_same_second_is_applied(aws: Provisioned) -> None:
    tenant_id = ids.new_id("ten")
    as_of, state = EVENTS[1]
    assert apply_subscription_state(tenant_id, state, as_of=as_of)
    reread = state.model_copy(update={"cancel_at_period_end": True})
    assert apply_subscription_state(tenant_id, reread, as_of=as_of)
    assert _stored(tenant_id) == (reread, as_of)


def test_past_due_keeps_the_plan_for_its_grace_period_then_free_applies(aws: Provisioned) -> None:
    tenant_id = ids.new_id("ten")
    as_of, state = EVENTS[2]
    apply_subscription_state(tenant_id, state, as_of=as_of)
    with tenant_scope(tenant_id):
        with clock.frozen(T0 + timedelta(days=50)):
            assert tenant_plan(tenant_id).id == PlanId.ENTERPRISE
        with clock.frozen(T0 + timedelta(days=51)):
            assert tenant_plan(tenant_id).id == PlanId.FREE
        for status in ("canceled", "unpaid", "incomplete_expired"):
            apply_subscription_state(tenant_id, state.model_copy(update={"status": status}),
                                     as_of=as_of + timedelta(days=1 + len(status)))
            assert tenant_plan(tenant_id).id == PlanId.FREE, status
