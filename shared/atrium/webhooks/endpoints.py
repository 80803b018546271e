"""Webhook endpoints: create (with a signing secret), list, read, change, delete, read and rotate the secret.

Every change is one unit of work (item, audit entry, event); no event or audit entry carries a secret.
"""

from datetime import datetime, timedelta
from typing import Literal

from atrium.billing.api import Limit, require_room
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.webhooks import endpoint_secrets, event_types
from atrium.webhooks.endpoint_urls import check_url
from atrium.webhooks.events import (
    WEBHOOK_ENDPOINT_CREATED,
    WEBHOOK_ENDPOINT_DELETED,
    WEBHOOK_ENDPOINT_DISABLED,
    WEBHOOK_ENDPOINT_SECRET_ROTATED,
    WEBHOOK_ENDPOINT_UPDATED,
    WebhookEndpointChanged,
    WebhookEndpointDisabled,
    WebhookEndpointSecretRotated,
)
from atrium.webhooks.message_models import EndpointHealthItem
from atrium.webhooks.models import WebhookEndpointItem
from atrium.webhooks.schemas import (
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointList,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
    WebhookSecretOut,
)
from atrium.webhooks.usage_counts import count_endpoints

SECRET_READ = "webhook_endpoint.secret_read"
# A message and its deliveries to every subscribed endpoint are written in one transaction (at most 100 items).
MAX_ENDPOINTS_PER_TENANT = 50
# Who disables a failing endpoint, in its audit entry.
DELIVERY_ACTOR = Ref(type="service", id="webhooks.deliver", name="webhook delivery")


def endpoint_out(endpoint: WebhookEndpointItem) -> WebhookEndpointOut:
    rate = endpoint.rate_limit_per_second
    return WebhookEndpointOut(id=endpoint.id, url=endpoint.url, description=endpoint.description,
                              event_types=list(endpoint.event_types), enabled=endpoint.enabled,
                              rate_limit_per_second=None if rate is None else int(rate),
                              created_at=clock.iso(endpoint.created_at), updated_at=clock.iso(endpoint.updated_at))


def _changed(endpoint: WebhookEndpointItem) -> WebhookEndpointChanged:
    out = endpoint_out(endpoint)
    return WebhookEndpointChanged(endpoint_id=out.id, **out.model_dump(include={
        "url", "description", "event_types", "enabled", "rate_limit_per_second"}))


def _commit(principal: Principal, info: RequestInfo, endpoint: WebhookEndpointItem, event: EventType, *,
            new: bool = False, delete: bool = False, data: dict[str, object] | None = None) -> None:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if new:
        uow.create(endpoint, conflict=Conflict("id collision; retry"))
    elif delete:
        uow.delete(endpoint)
    else:
        uow.save(endpoint)
    uow.record(event.name, subject=Ref(type="webhook_endpoint", id=endpoint.id, name=endpoint.url),
               data=data if data is not None else _changed(endpoint).model_dump())
    uow.commit()


def create_endpoint(principal: Principal, body: WebhookEndpointCreate,
                    info: RequestInfo) -> tuple[WebhookEndpointCreated, int]:
    endpoint = WebhookEndpointItem(
        tenant_id=principal.tenant_id, id=ids.new_id("ep"), url=check_url(body.url, field="body.url"),
        description=body.description, event_types=event_types.check_subscribable(body.event_types,
                                                                                 field="body.event_types"),
        enabled=body.enabled, rate_limit_per_second=body.rate_limit_per_second)
    event_types.check_readable(principal, list(endpoint.event_types))
    _check_room(principal.tenant_id)
    secret = endpoint_secrets.mint()
    endpoint.secrets = [endpoint_secrets.seal(principal.tenant_id, secret)]
    _commit(principal, info, endpoint, WEBHOOK_ENDPOINT_CREATED, new=True)
    return WebhookEndpointCreated(**endpoint_out(endpoint).model_dump(), secret=secret), endpoint.version or 0


def _check_room(tenant_id: str) -> None:
    """A message and its deliveries to every endpoint are one transaction, so endpoints are limited (409); the
    tenant's plan may allow fewer (402)."""
    used = count_endpoints(tenant_id)
    if used >= MAX_ENDPOINTS_PER_TENANT:
        raise Conflict(f"a tenant has at most {MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first")
    require_room(tenant_id, Limit.WEBHOOK_ENDPOINTS, usage=lambda: used)


def load_endpoint(principal: Principal, endpoint_id: str, *, consistent: bool = False) -> WebhookEndpointItem:
    if not ids.is_valid_id(endpoint_id, "ep"):
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    return WebhookEndpointItem.load(principal.tenant_id, endpoint_id, consistent=consistent)


def _load_at(principal: Principal, endpoint_id: str, expected_version: int) -> WebhookEndpointItem:
    endpoint = load_endpoint(principal, endpoint_id, consistent=True)
    if endpoint.version != expected_version:
        raise PreconditionFailed("the webhook endpoint has changed since you read it; read it again")
    return endpoint


def get_endpoint(principal: Principal, endpoint_id: str) -> tuple[WebhookEndpointOut, int]:
    endpoint = load_endpoint(principal, endpoint_id)
    return endpoint_out(endpoint), endpoint.version or 0


def list_endpoints(principal: Principal, *, limit: int, cursor: str | None) -> WebhookEndpointList:
    page = collection_page(WebhookEndpointItem, principal.tenant_id, limit=limit, cursor=cursor,
                           query="webhook_endpoints")
    return WebhookEndpointList(data=[endpoint_out(e) for e in page.items], next_cursor=page.next_cursor)


def update_endpoint(principal: Principal, endpoint_id: str, change: WebhookEndpointUpdate, expected_version: int,
                    info: RequestInfo) -> tuple[WebhookEndpointOut, int]:
    url = None if change.url is None else check_url(change.url, field="body.url")
    subscribed = None if change.event_types is None else event_types.check_subscribable(
        change.event_types, field="body.event_types")
    endpoint = _load_at(principal, endpoint_id, expected_version)
    if url is not None:
        endpoint.url = url
    if change.description is not None:
        endpoint.description = change.description
    if subscribed is not None:
        endpoint.event_types = subscribed
    if change.enabled is not None:
        endpoint.enabled = change.enabled
    if "rate_limit_per_second" in change.model_fields_set:
        endpoint.rate_limit_per_second = change.rate_limit_per_second
    # Whoever changes an endpoint (its URL above all) decides where its data goes: they must be able to read it.
    event_types.check_readable(principal, list(endpoint.event_types))
    _commit(principal, info, endpoint, WEBHOOK_ENDPOINT_UPDATED)
    return endpoint_out(endpoint), endpoint.version or 0


def disable_endpoint(tenant_id: str, endpoint_id: str, *, reason: Literal["gone", "failing"], detail: str,
                     failing_since: datetime | None) -> bool:
    """Disable an endpoint on the delivery pipeline's behalf (audited, emitted: its admins are emailed) and
    forget its failures, so re-enabling it starts afresh. False when it is gone or already disabled."""
    for _ in range(3):  # a concurrent change by a user wins the race; read again and retry
        try:
            endpoint = WebhookEndpointItem.load(tenant_id, endpoint_id, consistent=True)
        except NotFound:
            return False
        if not endpoint.enabled:
            return False
        endpoint.enabled = False
        uow = UnitOfWork(tenant_id, DELIVERY_ACTOR, RequestInfo())
        uow.save(endpoint)
        health = EndpointHealthItem(tenant_id=tenant_id, endpoint_id=endpoint_id)
        uow.discard(health)
        uow.record(WEBHOOK_ENDPOINT_DISABLED.name, subject=Ref(type="webhook_endpoint", id=endpoint.id,
                                                               name=endpoint.url),
                   data=WebhookEndpointDisabled(
                       endpoint_id=endpoint.id, url=endpoint.url, reason=reason, detail=detail,
                       failing_since=None if failing_since is None else clock.iso(failing_since)).model_dump())
        try:
            uow.commit()
        except PreconditionFailed:
            continue
        return True
    raise Conflict("the webhook endpoint kept changing while it was being disabled")


def delete_endpoint(principal: Principal, endpoint_id: str, info: RequestInfo) -> None:
    endpoint = load_endpoint(principal, endpoint_id, consistent=True)
    _commit(principal, info, endpoint, WEBHOOK_ENDPOINT_DELETED, delete=True)


def _secret_out(endpoint: WebhookEndpointItem) -> WebhookSecretOut:
    now = clock.now()
    replaced = [s.valid_until for s in endpoint.secrets[:-1] if s.valid_until is not None and now < s.valid_until]
    return WebhookSecretOut(secret=endpoint_secrets.current(endpoint),
                            previous_secret_valid_until=clock.iso(max(replaced)) if replaced else None)


def read_secret(principal: Principal, endpoint_id: str, info: RequestInfo) -> WebhookSecretOut:
    """The current secret; who read it is audited (not emitted: no event may point at a secret's reader)."""
    endpoint = load_endpoint(principal, endpoint_id)
    shown = _secret_out(endpoint)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.record(SECRET_READ, subject=Ref(type="webhook_endpoint", id=endpoint.id, name=endpoint.url), data={},
               emit=False)
    uow.commit()
    return shown


def rotate_secret(principal: Principal, endpoint_id: str, info: RequestInfo) -> WebhookSecretOut:
    """A new current secret; the current one signs too until the grace period ends, and an older one still in
    its grace period is dropped now, so at most two secrets ever sign."""
    endpoint = load_endpoint(principal, endpoint_id, consistent=True)
    grace_end = clock.now() + timedelta(seconds=settings().webhook_secret_rotation_grace_seconds)
    previous = endpoint.secrets[-1]
    previous.valid_until = grace_end
    endpoint.secrets = [previous, endpoint_secrets.seal(principal.tenant_id, endpoint_secrets.mint())]
    _commit(principal, info, endpoint, WEBHOOK_ENDPOINT_SECRET_ROTATED, data=WebhookEndpointSecretRotated(
        endpoint_id=endpoint.id, previous_secret_valid_until=clock.iso(grace_end)).model_dump())
    return _secret_out(endpoint)
