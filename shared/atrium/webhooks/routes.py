"""Webhooks routes."""

from fastapi import Request, Response

from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, RawBody
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import PUBLIC, ContextRouter
from atrium.webhooks import inbound_hooks, inbound_receiver, stripe_receiver
from atrium.webhooks.inbound_schemas import (
    InboundHookCreate,
    InboundHookList,
    InboundHookOut,
    InboundHookSecretOut,
    InboundReceipt,
    StripeReceipt,
)

router = ContextRouter("webhooks")

# Inbound

INBOUND_HOOKS_PATH = "/v1/inbound-hooks"
INBOUND_HOOK_PATH = "/v1/inbound-hooks/{hook_id}"
_READ = {Grant.TABLE_READ}
_WRITE = {Grant.TABLE_READ, Grant.TABLE_WRITE}
_LOCATION = {"Location": {"description": "The new resource", "schema": {"type": "string"}}}
_NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}
# The body is read as bytes (a signature covers them exactly); any media type is taken, JSON is expected.
_SIGNED_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}}


@router.post(INBOUND_HOOKS_PATH, name="create_inbound_hook", permission="inbound_hooks:create", status_code=201,
             idempotent=True, grants=_WRITE | {Grant.CURSOR_KEY_READ}, responses={201: {"headers": _LOCATION}})
def create_inbound_hook(body: InboundHookCreate, principal: CurrentPrincipal, info: CurrentRequest,
                        response: Response) -> InboundHookSecretOut:
    """An inbound hook: a URL that senders sign calls to with Standard Webhooks. The secret is in this response
    only."""
    hook = inbound_hooks.create_hook(principal, body, info)
    response.headers["Location"] = f"{INBOUND_HOOKS_PATH}/{hook.id}"
    return hook


@router.get(INBOUND_HOOKS_PATH, name="list_inbound_hooks", permission="inbound_hooks:read",
            grants=_READ | {Grant.CURSOR_KEY_READ})
def list_inbound_hooks(principal: CurrentPrincipal, paging: Paging) -> InboundHookList:
    """The tenant's inbound hooks, oldest first (never their secrets)."""
    return inbound_hooks.list_hooks(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(INBOUND_HOOK_PATH, name="get_inbound_hook", permission="inbound_hooks:read", grants=_READ,
            responses=_NOT_FOUND)
def get_inbound_hook(hook_id: str, principal: CurrentPrincipal) -> InboundHookOut:
    return inbound_hooks.get_hook(principal, hook_id)


@router.delete(INBOUND_HOOK_PATH, name="delete_inbound_hook", permission="inbound_hooks:delete", status_code=204,
               grants=_WRITE, responses=_NOT_FOUND)
def delete_inbound_hook(hook_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete the hook; its URL answers 404 from now on."""
    inbound_hooks.delete_hook(principal, hook_id, info)


@router.post(inbound_hooks.RECEIVE_PATH, name="receive_inbound_hook", permission=PUBLIC,
             grants=_WRITE | {Grant.CURSOR_KEY_READ}, openapi_extra=_SIGNED_BODY, responses={
                 400: {"description": "The payload is not UTF-8 JSON"},
                 401: {"description": "Unsigned, stale (over 5 minutes), or a signature that does not match"},
                 404: {"description": "No inbound hook at this address"}})
def receive_inbound_hook(public_id: str, body: RawBody, request: Request, info: CurrentRequest) -> InboundReceipt:
    """A sender's call, signed with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    It becomes an `inbound_hook.received` event once per `webhook-id`; a replay is accepted and not emitted again."""
    return inbound_receiver.receive(public_id, body, request.headers, info)


@router.post("/v1/hooks/stripe", name="receive_stripe_event", permission=PUBLIC,
             grants=_WRITE | {Grant.STRIPE_WEBHOOK_SECRET_READ}, openapi_extra=_SIGNED_BODY, responses={
                 400: {"description": "Stripe-Signature missing, stale (over 5 minutes) or not matching; or the "
                                      "payload is not a Stripe event"}})
def receive_stripe_event(body: RawBody, request: Request, info: CurrentRequest) -> StripeReceipt:
    """Stripe's webhook endpoint. Each event becomes one `billing.stripe_event`; an event sent again is accepted
    and not emitted again."""
    return stripe_receiver.receive(body, request.headers, info)
