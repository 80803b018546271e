"""Request dependencies: the verified principal, permissions, request info, ``If-Match``.

In AWS the Lambda authorizer has verified the credentials and its context arrives in the
event; locally (and in tests) the same authenticator runs in-process on the header, so a
request takes the same checks in both.
"""

import json
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from atrium.kernel import ids
from atrium.kernel.errors import Forbidden, Unauthenticated
from atrium.kernel.events.envelope import Ref
from atrium.kernel.http.routing import Realm, RouteSpec
from atrium.kernel.http.step_up import API_TOKEN_REFUSAL, require_step_up
from atrium.kernel.observability import bind_request, logger
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, PrincipalType, actor_of, bind_tenant

Authenticator = Callable[[str | None], Principal]
AUTHORIZER_CONTEXT_KEY = "principal"
_PLAN_CHECKED = "plan_checked"  # the request's plan allows the route's feature


def _aws_event(request: Request) -> dict[str, Any] | None:
    event = request.scope.get("aws.event")
    return event if isinstance(event, dict) else None


def principal_from_event(event: dict[str, Any]) -> Principal | None:
    context = event.get("requestContext", {}).get("authorizer", {}).get("lambda", {})
    raw = context.get(AUTHORIZER_CONTEXT_KEY) if isinstance(context, dict) else None
    return Principal.model_validate(json.loads(raw)) if raw else None


def request_info(request: Request) -> RequestInfo:
    """Once per request: the log lines and the audit entry must carry the same request id."""
    cached = getattr(request.state, "request_info", None)
    if isinstance(cached, RequestInfo):
        return cached
    event = _aws_event(request)
    if event:
        context = event.get("requestContext", {})
        info = RequestInfo(ip=context.get("http", {}).get("sourceIp"),
                           user_agent=request.headers.get("user-agent"), request_id=context.get("requestId"))
    else:
        info = RequestInfo(ip=request.client.host if request.client else None,
                           user_agent=request.headers.get("user-agent"),
                           request_id=request.headers.get("x-request-id") or ids.new_id("req"))
    request.state.request_info = info
    return info


CurrentRequest = Annotated[RequestInfo, Depends(request_info)]


async def resolve_principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    event = _aws_event(request)
    principal = principal_from_event(event) if event else None
    if principal is None:
        authenticate: Authenticator | None = getattr(request.app.state, "authenticate", None)
        if authenticate is None:
            raise Unauthenticated("missing or invalid credentials")
        principal = await run_in_threadpool(authenticate, request.headers.get("authorization"))
    request.state.principal = principal
    if principal.tenant_id:  # operators act on tenants explicitly, through tenant_scope
        bind_tenant(principal.tenant_id)
    bind_request(tenant_id=principal.tenant_id, principal_id=principal.id,
                 correlation_id=request_info(request).request_id)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(resolve_principal)]


def denial(spec: RouteSpec, principal: Principal) -> str | None:
    """Why ``principal`` may not call ``spec``, or None when it may."""
    if spec.realm is Realm.OPERATOR:
        if principal.type is not PrincipalType.OPERATOR:
            return "this route is for platform operators"
    elif spec.realm is Realm.DEVELOPER:
        if principal.type is not PrincipalType.DEVELOPER:
            return "this route is for plugin developers (an API key of the developer realm)"
    elif principal.type not in (PrincipalType.USER, PrincipalType.API_TOKEN):
        return "this route is for members of a tenant"
    if spec.is_self_service:
        return None if principal.type is PrincipalType.USER else "API tokens cannot manage a user's own account"
    if not principal.can(spec.permission):
        return f"this action needs the permission {spec.permission}"
    if principal.scope is not None and not spec.scoped:
        return "this route is not open to a member confined to one record"
    return API_TOKEN_REFUSAL if spec.step_up and principal.type is not PrincipalType.USER else None


def audit_denial(principal: Principal, info: RequestInfo, *, operation_id: str, permission: str,
                 reason: str) -> None:
    """Record a refusal in the caller's tenant; also for services that check a permission known only from
    the data (a job's kind)."""
    logger.info("access denied", extra={"operation": operation_id, "reason": reason})
    if not principal.tenant_id:
        return  # an operator refused an operator route: no tenant log to write to
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.record("access.denied", subject=Ref(type="operation", id=operation_id),
               data={"permission": permission, "reason": reason}, emit=False, outcome="denied")
    uow.commit()


async def authorize(spec: RouteSpec, principal: Principal, request: Request) -> None:
    """A refusal is a 403 problem and an audit entry in the caller's tenant; a caller allowed but not stepped up
    recently enough (``spec.step_up``) gets a 401 asking for it; a tenant whose plan lacks the route's feature
    (``spec.feature``), a 402. An idempotent route authorizes before it claims its key, then as every route does:
    the plan is read once."""
    reason = denial(spec, principal)
    if reason is not None:
        await run_in_threadpool(partial(audit_denial, principal, request_info(request),
                                        operation_id=spec.operation_id, permission=spec.permission, reason=reason))
        raise Forbidden(reason)
    if spec.step_up:
        require_step_up(principal)
    if spec.feature is not None and not getattr(request.state, _PLAN_CHECKED, False):
        await run_in_threadpool(spec.feature.check, principal.tenant_id)
        setattr(request.state, _PLAN_CHECKED, True)


def require_permission(spec: RouteSpec) -> Callable[..., Awaitable[None]]:
    async def check(principal: CurrentPrincipal, request: Request) -> None:
        await authorize(spec, principal, request)

    return check




def etag(version: int) -> str:
    return f'"{version}"'


# Versions start at 1, so an ETag that is not ours matches nothing and fails like a stale one (412). It is not
# refused here: preconditions come after the request's own checks (RFC 9110 13.2.1), and a dependency that
# raised would answer before the body is validated.
_NO_VERSION = 0
# Our ETags are quoted versions. ASCII digits only, and few: int() refuses "²" and very long numbers.
_ETAG = re.compile(r'(?:W/)?"([0-9]{1,18})"')


def expected_version(if_match: Annotated[str, Header(description="The ETag from the last read")]) -> int:
    """A missing If-Match fails validation, which the problem handlers answer with 428."""
    match = _ETAG.fullmatch(if_match.strip())
    return int(match[1]) if match else _NO_VERSION


ExpectedVersion = Annotated[int, Depends(expected_version)]


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent (already bounded by ``RequestLimits``), for routes that verify a signature over
    its bytes: a parsed and re-serialized body would not match what was signed."""
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]
