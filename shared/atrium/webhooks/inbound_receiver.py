"""The public receiver of tenant inbound hooks: a Standard Webhooks call becomes an ``inbound_hook.received`` event.

The URL's id resolves the hook's tenant (its address item); the tenant never comes from the caller. A verified
call is one unit of work in that tenant, with the hook as its actor: a guard keyed by the hook and the sender's
``webhook-id``, the audit entry and the event. A replay finds the guard and is accepted without a second event.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import timedelta

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from atrium.kernel import clock
from atrium.kernel.errors import BadRequest, Conflict, NotFound, Unauthenticated
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.webhooks.events import INBOUND_HOOK_RECEIVED, InboundHookReceived
from atrium.webhooks.inbound_hooks import is_public_id, open_secret
from atrium.webhooks.inbound_models import InboundHookAddress
from atrium.webhooks.inbound_schemas import InboundReceipt
from atrium.webhooks.payloads import payload_text

# Standard Webhooks refuses timestamps more than 5 minutes off either way, so a replay can only pass within
# 10 minutes of its signing; the guard outlives that.
_GUARD_SECONDS = 15 * 60
_MAX_WEBHOOK_ID_CHARS = 256


class _Replayed(Conflict):
    """The guard of this webhook-id exists: the call was received before."""


def _address(public_id: str) -> InboundHookAddress:
    address = InboundHookAddress.find(public_id) if is_public_id(public_id) else None
    if address is None:  # a malformed id and an unknown one get the same answer
        raise NotFound("no inbound hook at this address")
    return address


def _verified(address: InboundHookAddress, text: str, headers: Mapping[str, str]) -> str:
    """The sender's webhook-id, once the signature and the timestamp check out."""
    try:
        Webhook(open_secret(address)).verify(text, dict(headers), json_parse=False)
    except (WebhookVerificationError, ValueError):  # ValueError: a malformed signature header
        raise Unauthenticated("the call is unsigned, stale, or its signature does not match") from None
    webhook_id = headers["webhook-id"]
    if len(webhook_id) > _MAX_WEBHOOK_ID_CHARS:
        raise BadRequest(f"webhook-id is limited to {_MAX_WEBHOOK_ID_CHARS} characters")
    return webhook_id


def receive(public_id: str, body: bytes, headers: Mapping[str, str], info: RequestInfo) -> InboundReceipt:
    address = _address(public_id)
    text = payload_text(body)
    webhook_id = _verified(address, text, headers)
    try:
        payload = json.loads(text)
    except ValueError:
        raise BadRequest("the payload is not JSON") from None
    guard_value = f"{address.hook_id}.{hashlib.sha256(webhook_id.encode()).hexdigest()}"
    with tenant_scope(address.tenant_id):
        uow = UnitOfWork(address.tenant_id, Ref(type="inbound_hook", id=address.hook_id), info)
        uow.claim_unique("InboundWebhook", guard_value, owner_id=address.hook_id, conflict=_Replayed("replayed"),
                         expires_at=clock.now() + timedelta(seconds=_GUARD_SECONDS))
        uow.record(INBOUND_HOOK_RECEIVED.name, subject=Ref(type="inbound_hook", id=address.hook_id),
                   data=InboundHookReceived(hook_id=address.hook_id, webhook_id=webhook_id,
                                            payload=payload).model_dump())
        try:
            uow.commit()
        except _Replayed:
            return InboundReceipt(webhook_id=webhook_id, duplicate=True)
    return InboundReceipt(webhook_id=webhook_id, duplicate=False)
