"""The tenant's subscription as the API shows it: the plan in force, the Stripe state, and each limit with what
the tenant uses of it where a context counts it now (``usage_counts.py``: seats, webhook endpoints); usage that
metering will count (proofs, storage, API requests, AI spend) shows null until it does."""

from atrium import manifest
from atrium.billing.entitlements.plan_in_force import plan_in_force
from atrium.billing.plans.catalog import Limit
from atrium.billing.subscriptions.schemas import LimitOut, SubscriptionOut
from atrium.billing.subscriptions.store import find_subscription
from atrium.kernel import clock


def subscription_view(tenant_id: str) -> SubscriptionOut:
    item = find_subscription(tenant_id)
    plan = plan_in_force(item)
    counts = manifest.usage_counts()
    limits = [LimitOut(name=limit, allowed=plan.limit(limit), period=limit.period,
                       usage=counts[limit](tenant_id) if limit in counts else None) for limit in Limit]
    if item is None or item.status is None:  # never subscribed: the default plan, without end
        return SubscriptionOut(plan=plan.id, plan_name=plan.name, status="active", interval=None,
                               current_period_start=None, current_period_end=None, trial_end=None,
                               cancel_at_period_end=False, features=sorted(plan.features), limits=limits)
    start, end, trial_end = item.current_period_start, item.current_period_end, item.trial_end
    return SubscriptionOut(plan=plan.id, plan_name=plan.name, status=item.status, interval=item.interval,
                           current_period_start=start and clock.iso(start), current_period_end=end and clock.iso(end),
                           trial_end=trial_end and clock.iso(trial_end),
                           cancel_at_period_end=bool(item.cancel_at_period_end), features=sorted(plan.features),
                           limits=limits)
