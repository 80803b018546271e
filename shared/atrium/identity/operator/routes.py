"""Operator routes: the platform staff's realm (``Realm.OPERATOR``); tenant principals are refused on every one."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.billing.api import CustomPlan, Meter, PlanOut, PlatformUsagePage, platform_usage_page
from atrium.compliance.api import DeletionOut
from atrium.identity.directory import TenantDirectoryItem
from atrium.identity.operator import tenants
from atrium.identity.operator.roles import (
    TENANTS_READ,
    TENANTS_ROTATE_KEYS,
    TENANTS_SET_PLAN,
    TENANTS_SUSPEND,
    USAGE_READ,
)
from atrium.identity.operator.schemas import (
    DataKeyOut,
    DirectoryEntryOut,
    OperatorLoginRequest,
    OperatorToken,
    RotationQueued,
    SuspendRequest,
    TenantPage,
    TenantStatus,
)
from atrium.identity.schemas import TenantOut
from atrium.kernel import clock
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import PUBLIC, ContextRouter, Realm
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.identity.operator import auth
else:
    (auth,) = lazy_modules("atrium.identity.operator", "auth")

router = ContextRouter("operator")
TENANT_PATH = "/v1/operator/tenants/{tenant_id}"
_ETAG = {"ETag": {"description": "The tenant's version", "schema": {"type": "string"}}}
_NOT_FOUND = {404: {"description": "No such tenant"}}
_STATUS_CHANGE = {200: {"headers": _ETAG}, **_NOT_FOUND, 409: {"description": "The tenant already has that status"},
                  412: {"description": "The tenant changed during the request; retry"}}


@router.post("/v1/operator/auth/login", name="login", permission=PUBLIC, realm=Realm.OPERATOR,
             grants={Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.SIGNING_KEYS_READ},
             responses={401: {"description": "The email or password is wrong"},
                        429: {"description": "Too many failed sign-ins for this email or source; see Retry-After"}})
def login(body: OperatorLoginRequest, info: CurrentRequest) -> OperatorToken:
    """Sign in as an operator: a 15-minute operator access token (audience ``atrium-operator``), no refresh.
    Repeated failures lock the email and the source out like a tenant sign-in does."""
    return auth.login(body, info)  # argon2 and the JWT stack load only in this function


@router.get("/v1/operator/tenants", name="list_tenants", permission=TENANTS_READ, realm=Realm.OPERATOR,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_tenants(
    paging: Paging,
    q: Annotated[str, Query(max_length=100, description="Name prefix, case-insensitive")] = "",
    status: Annotated[TenantStatus | None, Query(description="Only tenants with this status")] = None,
) -> TenantPage:
    """Every tenant, in name order; search by name prefix and filter by status."""
    page = tenants.list_tenants(q=q, status=status, limit=paging.limit, cursor=paging.cursor)
    return TenantPage(data=[_entry(item) for item in page.items if isinstance(item, TenantDirectoryItem)],
                      next_cursor=page.next_cursor)


@router.get(TENANT_PATH, name="get_tenant", permission=TENANTS_READ, realm=Realm.OPERATOR,
            grants={Grant.TABLE_READ}, responses={200: {"headers": _ETAG}, **_NOT_FOUND})
def get_tenant(tenant_id: str, response: Response) -> TenantOut:
    """One tenant."""
    tenant = tenants.get_tenant(tenant_id)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@router.get(f"{TENANT_PATH}/deletion", name="get_tenant_deletion", permission=TENANTS_READ, realm=Realm.OPERATOR,
            grants={Grant.TABLE_READ}, responses={404: {"description": "No deletion of that tenant was requested"}})
def get_tenant_deletion(tenant_id: str) -> DeletionOut:
    """The tenant's deletion (its owner's request): when due, and as it runs, what was deleted (items, files, its
    data keys, global items pointing at it). Readable after the tenant is gone."""
    return tenants.deletion(tenant_id)


@router.post(f"{TENANT_PATH}/suspend", name="suspend_tenant", permission=TENANTS_SUSPEND, realm=Realm.OPERATOR,
             grants={Grant.TABLE_READ, Grant.TABLE_WRITE}, responses=_STATUS_CHANGE)
def suspend_tenant(tenant_id: str, body: SuspendRequest, principal: CurrentPrincipal, info: CurrentRequest,
                   response: Response) -> TenantOut:
    """Suspend a tenant: its users and API tokens are refused (403) within the access cache TTL."""
    tenant = tenants.suspend(principal, tenant_id, body.reason, info)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@router.post(f"{TENANT_PATH}/reactivate", name="reactivate_tenant", permission=TENANTS_SUSPEND,
             realm=Realm.OPERATOR, grants={Grant.TABLE_READ, Grant.TABLE_WRITE}, responses=_STATUS_CHANGE)
def reactivate_tenant(tenant_id: str, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> TenantOut:
    """Lift a suspension."""
    tenant = tenants.reactivate(principal, tenant_id, info)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@router.put(f"{TENANT_PATH}/plan", name="set_tenant_plan", permission=TENANTS_SET_PLAN, realm=Realm.OPERATOR,
            grants={Grant.TABLE_READ, Grant.TABLE_WRITE}, responses=_NOT_FOUND)
def set_tenant_plan(tenant_id: str, body: CustomPlan, principal: CurrentPrincipal, info: CurrentRequest) -> PlanOut:
    """Put the tenant on a custom plan: a plan's features and limits with some replaced. It applies whatever its
    Stripe subscription says, until removed."""
    return tenants.set_plan(principal, tenant_id, body, info)


@router.delete(f"{TENANT_PATH}/plan", name="remove_tenant_plan", permission=TENANTS_SET_PLAN, realm=Realm.OPERATOR,
               grants={Grant.TABLE_READ, Grant.TABLE_WRITE},
               responses={404: {"description": "No such tenant, or it has no custom plan"}})
def remove_tenant_plan(tenant_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> PlanOut:
    """Remove the tenant's custom plan: its subscription's plan (or the free plan) applies again, which it answers."""
    return tenants.remove_plan(principal, tenant_id, info)


@router.post(f"{TENANT_PATH}/data-key/rotate", name="rotate_tenant_data_key", permission=TENANTS_ROTATE_KEYS,
             realm=Realm.OPERATOR, grants={Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND},
             responses=_NOT_FOUND)
def rotate_tenant_data_key(tenant_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> DataKeyOut:
    """Rotate the tenant's data key: a new version encrypts its personal and secret fields from now on, and a task
    encrypts its items again under it (older versions decrypt meanwhile). Written in the tenant's log."""
    return tenants.rotate_key(principal, tenant_id, info)


@router.post("/v1/operator/data-keys/rotate", name="rotate_data_keys", permission=TENANTS_ROTATE_KEYS,
             realm=Realm.OPERATOR, status_code=202, grants={Grant.TASKS_SEND})
def rotate_data_keys(principal: CurrentPrincipal, info: CurrentRequest) -> RotationQueued:
    """Rotate every tenant's data key, in a task: each rotation is written in its tenant's log and followed by the
    tenant's items encrypted again."""
    tenants.queue_rotation_of_all(principal, info)
    return RotationQueued()


@router.get("/v1/operator/usage", name="list_usage", permission=USAGE_READ, realm=Realm.OPERATOR,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_usage(
    paging: Paging,
    meter: Annotated[Meter, Query(description="What is counted")],
    period: Annotated[str, Query(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples=["2026-03"],
                                 description="A calendar month (UTC), YYYY-MM")],
) -> PlatformUsagePage:
    """Each tenant's usage of ``meter`` in the month ``period``, in tenant id order (tenants with no usage are not
    listed)."""
    return platform_usage_page(meter, period, limit=paging.limit, cursor=paging.cursor)


def _entry(item: TenantDirectoryItem) -> DirectoryEntryOut:
    return DirectoryEntryOut(id=item.natural_key, name=item.name, status=item.status,
                             created_at=clock.iso(item.created_at))
