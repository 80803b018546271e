"""Who is calling and for which tenant.

The tenant comes only from verified credentials. The data layer reads the tenant scope set
here and refuses tenant-owned access outside it (see ``store.keys``).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from atrium.kernel.errors import AtriumError
from atrium.kernel.events.envelope import Ref
from atrium.kernel.permissions import allows

if TYPE_CHECKING:
    from atrium.kernel.store.unit_of_work import UnitOfWork


class PrincipalType(StrEnum):
    USER = "user"
    API_TOKEN = "api_token"
    OPERATOR = "operator"
    DEVELOPER = "developer"
    SERVICE = "service"


class Principal(BaseModel):
    """The verified caller, as the authorizer hands it to every route.

    ``permissions`` are patterns (``users:*``); ``can`` matches a concrete permission against
    them. Operators belong to no tenant: their ``tenant_id`` is empty, which no key accepts. ``scope`` is set for a
    member of a scoped role (and their API tokens): the id of the one record they are confined to
    inside the tenant; apps enforce it.
    """

    model_config = ConfigDict(frozen=True)

    type: PrincipalType
    id: str
    tenant_id: str
    roles: tuple[str, ...] = ()
    permissions: frozenset[str] = frozenset()
    session_id: str | None = None
    name: str | None = None
    scope: str | None = None
    # When a user last proved a secret for this credential (step-up), from its access token; never cached with
    # the rest, which is the session's.
    stepped_up_at: datetime | None = None
    # The requests a minute the tenant's plan in force allows (kernel/http/rate_limits.py), read with the rest of the
    # live access; None: the plan sets no number (or no tenant), and the stage's ceiling holds alone.
    tenant_requests_per_minute: int | None = None

    def can(self, permission: str) -> bool:
        return allows(self.permissions, permission)


class TenantScopeError(AtriumError):
    """Tenant-owned data touched outside its tenant: a programming error, never user input."""


# The platform's own log: events that belong to no tenant (a Stripe event) are written and audited under this id,
# so they travel the same outbox -> relay -> bus path in one transaction. No real tenant ever gets it: tenant ids
# are new ULIDs, and a ULID of all zeros is the Unix epoch.
PLATFORM_TENANT_ID = "ten_" + "0" * 26
# Why a tenant is suspended when its owner asked for its deletion (identity lets its owners in, narrowly).
DELETION_REQUESTED = "deletion requested"

_tenant: ContextVar[str | None] = ContextVar("atrium_tenant", default=None)


@contextmanager
def tenant_scope(tenant_id: str) -> Iterator[str]:
    token = _tenant.set(tenant_id)
    try:
        yield tenant_id
    finally:
        _tenant.reset(token)


@contextmanager
def outside_tenant_scope() -> Iterator[None]:
    """No tenant in scope for a while: calls made meanwhile are signed by the function's own role
    (``store.tenant_credentials``), as a whole-table Scan must be."""
    token = _tenant.set(None)
    try:
        yield
    finally:
        _tenant.reset(token)


def bind_tenant(tenant_id: str) -> None:
    """Scope the rest of the current task (one HTTP request) to ``tenant_id``."""
    _tenant.set(tenant_id)


def tenant_in_scope() -> str | None:
    return _tenant.get()


def current_tenant() -> str:
    tenant_id = _tenant.get()
    if tenant_id is None:
        raise TenantScopeError("tenant-owned data accessed without a tenant scope")
    return tenant_id


def actor_of(principal: Principal) -> Ref:
    """The principal as the actor of a change: its audit entry names it as well as identifying it."""
    return Ref(type=principal.type, id=principal.id, name=principal.name)


@dataclass(frozen=True)
class TenantDirectory:
    """The tenants, for a context that the identity context builds on and so cannot import (compliance: its
    backups); identity declares the one (``manifest.tenant_directory``)."""

    tenant_ids: Callable[[], Iterator[str]]
    tenant_name: Callable[[str], str]  # called in the tenant's scope
    # A new tenant (its id, name and owner, an existing user); False when it exists already.
    open_tenant: Callable[[str, str, str], bool]
    # The tenant of ``uow`` suspended for its deletion (True) or active again (False), in ``uow``; a Conflict when
    # it is not in the state this changes.
    hold_for_deletion: Callable[["UnitOfWork", bool], None]
    # Whether the tenant is (still) suspended for its deletion; called in its scope.
    held_for_deletion: Callable[[str], bool]
