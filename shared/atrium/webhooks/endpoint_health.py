"""An endpoint's health as deliveries see it: its rate limit, since when it has been failing, and when it is
disabled (410 Gone at once; after ``webhook_disable_after_seconds`` of nothing but failures)."""

from datetime import datetime, timedelta

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.store.models import Item
from atrium.kernel.store.writes import unless_raced
from atrium.webhooks import endpoints, retry_policy
from atrium.webhooks.message_models import EndpointHealthItem, RateWindowItem
from atrium.webhooks.models import WebhookEndpointItem

RATE_WINDOW_TTL = timedelta(minutes=5)
# A failing endpoint's health outlives its disabling by this; then it cannot matter and expires.
HEALTH_TTL_MARGIN = timedelta(days=30)


def take_rate_slot(endpoint: WebhookEndpointItem, now: datetime) -> bool:
    """Whether an attempt may start now within the endpoint's ``rate_limit_per_second`` (one write, only for
    an endpoint with a limit): a counter per endpoint and second, taken with a conditional update."""
    if endpoint.rate_limit_per_second is None:
        return True
    window = RateWindowItem(tenant_id=endpoint.tenant_id, endpoint_id=endpoint.id, second=int(now.timestamp()))
    window.assign_keys()
    return unless_raced(lambda: Item._get_connection().update_item(
        window.pk, window.sk,
        actions=[RateWindowItem.started.add(1), RateWindowItem.expires_at.set(now + RATE_WINDOW_TTL)],
        condition=RateWindowItem.started.does_not_exist() | (
            RateWindowItem.started < int(endpoint.rate_limit_per_second))))


def note(endpoint: WebhookEndpointItem, health: EndpointHealthItem | None, *, ok: bool, status_code: int | None,
         now: datetime) -> None:
    """Record an attempt's outcome in the endpoint's health; disable the endpoint when it should be."""
    if ok:
        if health is not None:
            unless_raced(health.delete)  # healthy again (a concurrent success may have deleted it)
        return
    if health is None:
        first = EndpointHealthItem(tenant_id=endpoint.tenant_id, endpoint_id=endpoint.id, failing_since=now,
                                   expires_at=now + _disable_after() + HEALTH_TTL_MARGIN)
        # Another attempt may note the failure first; its (earlier) time stands.
        health = first if unless_raced(lambda: first.save(condition=Item.pk.does_not_exist())) else None
    failing_since = None if health is None else health.failing_since
    if status_code == retry_policy.GONE:
        endpoints.disable_endpoint(endpoint.tenant_id, endpoint.id, reason="gone", failing_since=failing_since,
                                   detail="the endpoint answered 410 Gone")
    elif failing_since is not None and now - failing_since >= _disable_after():
        endpoints.disable_endpoint(endpoint.tenant_id, endpoint.id, reason="failing", failing_since=failing_since,
                                   detail=f"every attempt failed since {clock.iso(failing_since)}")


def _disable_after() -> timedelta:
    return timedelta(seconds=settings().webhook_disable_after_seconds)
