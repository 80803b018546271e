"""Webhooks routes: outbound endpoints and the event catalog; inbound receivers."""

from typing import TYPE_CHECKING

from fastapi import Request, Response

from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, RawBody, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER, PUBLIC, ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.webhooks.inbound_schemas import (
    InboundHookCreate,
    InboundHookList,
    InboundHookOut,
    InboundHookSecretOut,
    InboundReceipt,
    StripeReceipt,
)
from atrium.webhooks.schemas import (
    EventTypeList,
    EventTypeOut,
    WebhookAttemptList,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointList,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
    WebhookMessageOut,
    WebhookMessageRetry,
    WebhookRecover,
    WebhookResent,
    WebhookSecretOut,
    WebhookTestSend,
)

if TYPE_CHECKING:
    from atrium.webhooks import (
        endpoints,
        event_types,
        inbound_hooks,
        inbound_receiver,
        message_log,
        resending,
        stripe_receiver,
    )
else:
    endpoints, event_types, inbound_hooks, inbound_receiver, message_log, resending, stripe_receiver = lazy_modules(
        "atrium.webhooks", "endpoints", "event_types", "inbound_hooks", "inbound_receiver", "message_log", "resending",
        "stripe_receiver")

router = ContextRouter("webhooks")

# Outbound

ENDPOINTS_PATH = "/v1/webhook-endpoints"
ENDPOINT_PATH = "/v1/webhook-endpoints/{endpoint_id}"
_NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}
_INVALID = {422: {"description": "A URL that is not https, holds credentials or names a private address; "
                                 "an unknown or internal event type"}}


@router.get("/v1/event-types", name="list_event_types", permission="event_types:read")
def list_event_types() -> EventTypeList:
    """The event types a webhook endpoint can receive, each with its data's JSON schema and an example."""
    return EventTypeList(data=[
        EventTypeOut(name=t.name, description=t.description, version=t.version, read_permission=t.read_permission,
                     json_schema=event_types.schema(t), example=event_types.example(t))
        for t in event_types.deliverable()])


@router.post(ENDPOINTS_PATH, name="create_webhook_endpoint", permission="webhook_endpoints:create",
             status_code=201, idempotent=True, grants={*WRITE, Grant.WEBHOOK_KEY_READ},
             responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER}, **_INVALID,
                        402: {"description": "The tenant's plan allows no more webhook endpoints"}})
def create_webhook_endpoint(body: WebhookEndpointCreate, principal: CurrentPrincipal, info: CurrentRequest,
                            response: Response) -> WebhookEndpointCreated:
    """An endpoint that will receive the tenant's events, signed with the secret in this response."""
    endpoint, version = endpoints.create_endpoint(principal, body, info)
    response.headers["Location"] = f"{ENDPOINTS_PATH}/{endpoint.id}"
    response.headers["ETag"] = etag(version)
    return endpoint


@router.get(ENDPOINTS_PATH, name="list_webhook_endpoints", permission="webhook_endpoints:read",
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_webhook_endpoints(principal: CurrentPrincipal, paging: Paging) -> WebhookEndpointList:
    """The tenant's webhook endpoints, oldest first (never their secrets)."""
    return endpoints.list_endpoints(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(ENDPOINT_PATH, name="get_webhook_endpoint", permission="webhook_endpoints:read", grants=READ,
            responses={200: {"headers": ETAG_HEADER}, **_NOT_FOUND})
def get_webhook_endpoint(endpoint_id: str, principal: CurrentPrincipal, response: Response) -> WebhookEndpointOut:
    """A webhook endpoint. The ETag header is the version to send in If-Match."""
    endpoint, version = endpoints.get_endpoint(principal, endpoint_id)
    response.headers["ETag"] = etag(version)
    return endpoint


@router.patch(ENDPOINT_PATH, name="update_webhook_endpoint", permission="webhook_endpoints:update", grants=WRITE,
              responses={200: {"headers": ETAG_HEADER}, **_NOT_FOUND, **_INVALID,
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"}})
def update_webhook_endpoint(endpoint_id: str, body: WebhookEndpointUpdate, principal: CurrentPrincipal,
                            version: ExpectedVersion, info: CurrentRequest, response: Response) -> WebhookEndpointOut:
    """Change an endpoint's URL, description, event types, rate limit or state. Requires If-Match."""
    endpoint, new_version = endpoints.update_endpoint(principal, endpoint_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return endpoint


@router.delete(ENDPOINT_PATH, name="delete_webhook_endpoint", permission="webhook_endpoints:delete",
               status_code=204, grants=WRITE, responses=_NOT_FOUND)
def delete_webhook_endpoint(endpoint_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    endpoints.delete_endpoint(principal, endpoint_id, info)


@router.get(f"{ENDPOINT_PATH}/secret", name="get_webhook_endpoint_secret",
            permission="webhook_endpoints:read_secret", grants={*WRITE, Grant.WEBHOOK_KEY_READ}, step_up=True,
            responses=_NOT_FOUND)
def get_webhook_endpoint_secret(endpoint_id: str, principal: CurrentPrincipal,
                                info: CurrentRequest) -> WebhookSecretOut:
    """The endpoint's current signing secret, to verify its deliveries with. Each read is audited."""
    return endpoints.read_secret(principal, endpoint_id, info)


@router.post(f"{ENDPOINT_PATH}/rotate-secret", name="rotate_webhook_endpoint_secret",
             permission="webhook_endpoints:rotate_secret", grants={*WRITE, Grant.WEBHOOK_KEY_READ}, step_up=True,
             responses=_NOT_FOUND)
def rotate_webhook_endpoint_secret(endpoint_id: str, principal: CurrentPrincipal,
                                   info: CurrentRequest) -> WebhookSecretOut:
    """A new signing secret; deliveries carry a signature with the previous one too until
    ``previous_secret_valid_until``."""
    return endpoints.rotate_secret(principal, endpoint_id, info)



# Outbound: what was sent, and sending again

MESSAGE_PATH = "/v1/webhook-messages/{message_id}"
RESEND = {*WRITE, Grant.TASKS_SEND}
_RESENT = {202: {"headers": LOCATION_HEADER}, **_NOT_FOUND}


@router.get(f"{ENDPOINT_PATH}/deliveries", name="list_webhook_deliveries", permission="webhook_endpoints:read",
            grants=READ | {Grant.CURSOR_KEY_READ}, responses=_NOT_FOUND)
def list_webhook_deliveries(endpoint_id: str, principal: CurrentPrincipal, paging: Paging) -> WebhookAttemptList:
    """Every attempt to deliver to this endpoint, newest first: status, latency, the start of the response."""
    return message_log.list_attempts(principal, endpoint_id, limit=paging.limit, cursor=paging.cursor)


@router.get(MESSAGE_PATH, name="get_webhook_message", permission="webhook_messages:read", grants=READ,
            responses=_NOT_FOUND)
def get_webhook_message(message_id: str, principal: CurrentPrincipal) -> WebhookMessageOut:
    """A message (kept for the payload retention period) with its payload, deliveries and attempts."""
    return message_log.get_message(principal, message_id)


@router.post(f"{MESSAGE_PATH}/retry", name="retry_webhook_message", permission="webhook_messages:retry",
             status_code=202, grants=RESEND,
             responses={**_RESENT, 409: {"description": "Nothing failed to retry, or the delivery is under way"}})
def retry_webhook_message(message_id: str, body: WebhookMessageRetry, principal: CurrentPrincipal,
                          info: CurrentRequest, response: Response) -> WebhookResent:
    """Send a message again, once: to every endpoint whose delivery failed, or to the one named."""
    resent = resending.retry_message(principal, message_id, body, info)  # a bad id is a 404 before any header
    response.headers["Location"] = f"/v1/webhook-messages/{resent.message_ids[0]}"
    return resent


@router.post(f"{ENDPOINT_PATH}/recover", name="recover_webhook_endpoint", permission="webhook_messages:retry",
             status_code=202, grants=RESEND,
             responses={**_NOT_FOUND, 409: {"description": "The endpoint is disabled"}})
def recover_webhook_endpoint(endpoint_id: str, body: WebhookRecover, principal: CurrentPrincipal,
                             info: CurrentRequest) -> WebhookResent:
    """Send again, once each and oldest first, every message created since ``since`` whose delivery to this
    endpoint failed."""
    return resending.recover(principal, endpoint_id, body, info)


@router.post(f"{ENDPOINT_PATH}/test", name="test_webhook_endpoint", permission="webhook_endpoints:test",
             status_code=202, grants=RESEND,
             responses={**_RESENT, **_INVALID, 409: {"description": "The endpoint is disabled"}})
def test_webhook_endpoint(endpoint_id: str, body: WebhookTestSend, principal: CurrentPrincipal,
                          info: CurrentRequest, response: Response) -> WebhookResent:
    """Send a test message to this endpoint only; follow it at the Location."""
    resent = resending.send_test(principal, endpoint_id, body, info)
    response.headers["Location"] = f"/v1/webhook-messages/{resent.message_ids[0]}"
    return resent

# Inbound

INBOUND_HOOKS_PATH = "/v1/inbound-hooks"
INBOUND_HOOK_PATH = "/v1/inbound-hooks/{hook_id}"
# The body is read as bytes (a signature covers them exactly); any media type is taken, JSON is expected.
_SIGNED_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}}


@router.post(INBOUND_HOOKS_PATH, name="create_inbound_hook", permission="inbound_hooks:create", status_code=201,
             idempotent=True, grants=WRITE | {Grant.CURSOR_KEY_READ}, responses={201: {"headers": LOCATION_HEADER}})
def create_inbound_hook(body: InboundHookCreate, principal: CurrentPrincipal, info: CurrentRequest,
                        response: Response) -> InboundHookSecretOut:
    """An inbound hook: a URL that senders sign calls to with Standard Webhooks. The secret is in this response
    only."""
    hook = inbound_hooks.create_hook(principal, body, info)
    response.headers["Location"] = f"{INBOUND_HOOKS_PATH}/{hook.id}"
    return hook


@router.get(INBOUND_HOOKS_PATH, name="list_inbound_hooks", permission="inbound_hooks:read",
            grants=READ | {Grant.CURSOR_KEY_READ})
def list_inbound_hooks(principal: CurrentPrincipal, paging: Paging) -> InboundHookList:
    """The tenant's inbound hooks, oldest first (never their secrets)."""
    return inbound_hooks.list_hooks(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(INBOUND_HOOK_PATH, name="get_inbound_hook", permission="inbound_hooks:read", grants=READ,
            responses=_NOT_FOUND)
def get_inbound_hook(hook_id: str, principal: CurrentPrincipal) -> InboundHookOut:
    return inbound_hooks.get_hook(principal, hook_id)


@router.delete(INBOUND_HOOK_PATH, name="delete_inbound_hook", permission="inbound_hooks:delete", status_code=204,
               grants=WRITE, responses=_NOT_FOUND)
def delete_inbound_hook(hook_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete the hook; its URL answers 404 from now on."""
    inbound_hooks.delete_hook(principal, hook_id, info)


@router.post(inbound_hooks.RECEIVE_PATH, name="receive_inbound_hook", permission=PUBLIC,
             grants=WRITE | {Grant.CURSOR_KEY_READ}, openapi_extra=_SIGNED_BODY, responses={
                 400: {"description": "The payload is not UTF-8 JSON"},
                 401: {"description": "Unsigned, stale (over 5 minutes), or a signature that does not match"},
                 404: {"description": "No inbound hook at this address"}})
def receive_inbound_hook(public_id: str, body: RawBody, request: Request, info: CurrentRequest) -> InboundReceipt:
    """A sender's call, signed with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    It becomes an `inbound_hook.received` event once per `webhook-id`; a replay is accepted and not emitted again."""
    return inbound_receiver.receive(public_id, body, request.headers, info)


@router.post("/v1/hooks/stripe", name="receive_stripe_event", permission=PUBLIC,
             grants=WRITE | {Grant.STRIPE_WEBHOOK_SECRET_READ}, openapi_extra=_SIGNED_BODY, responses={
                 400: {"description": "Stripe-Signature missing, stale (over 5 minutes) or not matching; or the "
                                      "payload is not a Stripe event"}})
def receive_stripe_event(body: RawBody, request: Request, info: CurrentRequest) -> StripeReceipt:
    """Stripe's webhook endpoint. Each event becomes one `billing.stripe_event`; an event sent again is accepted
    and not emitted again."""
    return stripe_receiver.receive(body, request.headers, info)
