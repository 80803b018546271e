"""Tenant inbound hooks: create (URL and secret shown once), list, read, delete.

A hook is two items written together: the tenant's ``InboundHookItem`` and the global ``InboundHookAddress`` that
its public URL resolves (see ``inbound_receiver``).
"""

import base64
import re
import secrets
from functools import cache

from cryptography.fernet import Fernet

from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.sealing import sealer
from atrium.kernel.secrets import read_secret
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.webhooks.events import INBOUND_HOOK_CREATED, INBOUND_HOOK_DELETED, InboundHookChanged
from atrium.webhooks.inbound_models import InboundHookAddress, InboundHookItem
from atrium.webhooks.inbound_schemas import InboundHookCreate, InboundHookList, InboundHookOut, InboundHookSecretOut

RECEIVE_PATH = "/v1/hooks/in/{public_id}"
_PUBLIC_ID = re.compile(r"ih_[A-Za-z0-9_-]{43}")
_COLLISION = Conflict("id collision; retry")


@cache
def _sealer(key: str) -> Fernet:
    return sealer(key, purpose="inbound hook secret")


def _secret_sealer() -> Fernet:
    """Secrets are sealed under a key derived from the cursor key for this purpose alone: reading the table is
    not enough to forge a sender's calls, and there is no other secret to provision and rotate."""
    return _sealer(read_secret(settings().cursor_secret_id))


def open_secret(address: InboundHookAddress) -> str:
    return _secret_sealer().decrypt(address.sealed_secret.encode()).decode()


def is_public_id(value: str) -> bool:
    return bool(_PUBLIC_ID.fullmatch(value))


def _url(public_id: str) -> str:
    return settings().api_url.rstrip("/") + RECEIVE_PATH.format(public_id=public_id)


def hook_out(hook: InboundHookItem) -> InboundHookOut:
    return InboundHookOut(id=hook.id, name=hook.name, url=_url(hook.public_id), created_by=hook.created_by,
                          created_at=clock.iso(hook.created_at))


def _uow(principal: Principal, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(principal.tenant_id, actor_of(principal), info)


def create_hook(principal: Principal, body: InboundHookCreate, info: RequestInfo) -> InboundHookSecretOut:
    # Standard Webhooks secrets are base64 after "whsec_"; 24 random bytes or more (we use 32).
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    hook = InboundHookItem(tenant_id=principal.tenant_id, id=ids.new_id("ihk"), name=body.name,
                           public_id="ih_" + secrets.token_urlsafe(32), created_by=principal.id)
    uow = _uow(principal, info)
    uow.create(hook, conflict=_COLLISION)
    uow.create(InboundHookAddress(natural_key=hook.public_id, tenant_id=hook.tenant_id, hook_id=hook.id,
                                  sealed_secret=_secret_sealer().encrypt(secret.encode()).decode()),
               conflict=_COLLISION)
    uow.record(INBOUND_HOOK_CREATED.name, subject=Ref(type="inbound_hook", id=hook.id, name=hook.name),
               data=InboundHookChanged(hook_id=hook.id, name=hook.name).model_dump())
    uow.commit()
    return InboundHookSecretOut(**hook_out(hook).model_dump(), secret=secret)


def _load(principal: Principal, hook_id: str, *, consistent: bool = False) -> InboundHookItem:
    if not ids.is_valid_id(hook_id, "ihk"):
        raise NotFound(f"inbound hook {hook_id} not found")
    return InboundHookItem.load(principal.tenant_id, hook_id, consistent=consistent)


def get_hook(principal: Principal, hook_id: str) -> InboundHookOut:
    return hook_out(_load(principal, hook_id))


def list_hooks(principal: Principal, *, limit: int, cursor: str | None) -> InboundHookList:
    page = collection_page(InboundHookItem, principal.tenant_id, limit=limit, cursor=cursor, query="inbound_hooks")
    return InboundHookList(data=[hook_out(h) for h in page.items], next_cursor=page.next_cursor)


def delete_hook(principal: Principal, hook_id: str, info: RequestInfo) -> None:
    """The hook and its address in one transaction: its URL stops answering as the hook goes."""
    hook = _load(principal, hook_id, consistent=True)
    uow = _uow(principal, info)
    address = InboundHookAddress.find(hook.public_id, consistent=True)
    if address is not None:
        uow.delete(address)
    uow.delete(hook)
    uow.record(INBOUND_HOOK_DELETED.name, subject=Ref(type="inbound_hook", id=hook.id, name=hook.name),
               data=InboundHookChanged(hook_id=hook.id, name=hook.name).model_dump())
    uow.commit()
