"""Identity routes. Services load at their first use (``kernel/lazy.py``): argon2, the JWT and crypto stack load
only in the functions that use them."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Path, Response

from atrium.identity import tenants
from atrium.identity.schemas import (
    Jwk,
    Jwks,
    LoginRequest,
    MfaRequired,
    RefreshRequest,
    SessionOut,
    SessionPage,
    SignupRequest,
    SignupResponse,
    TenantOut,
    TenantUpdate,
    Tokens,
)
from atrium.kernel import clock
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, PUBLIC, SELF, ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.kernel.permissions import TENANT_READ, TENANT_UPDATE
from atrium.kernel.tenancy import Principal, actor_of

if TYPE_CHECKING:
    from atrium.identity import login as logins
    from atrium.identity import sessions, signing_keys
    from atrium.identity import signup as signups
else:  # named apart from the endpoints that use them
    logins, sessions, signing_keys, signups = lazy_modules("atrium.identity", "login", "sessions", "signing_keys",
                                                           "signup")

router = ContextRouter("identity")
TENANT_PATH = "/v1/tenant"
SessionId = Annotated[str, Path(max_length=64)]


@router.post("/v1/signup", name="signup", permission=PUBLIC, status_code=201, idempotent=True,
             grants={Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.SIGNING_KEYS_READ},
             responses={201: {"headers": {"Location": {"description": "The new tenant", "schema": {"type": "string"}}}},
                        409: {"description": "An account with this email already exists"}})
def signup(body: SignupRequest, info: CurrentRequest, response: Response) -> SignupResponse:
    """Create a tenant and its owner; returns tokens for the owner."""
    result = signups.signup(body, info)
    response.headers["Location"] = TENANT_PATH
    return result


@router.get(TENANT_PATH, name="get_tenant", scoped=True, permission=TENANT_READ, grants={Grant.TABLE_READ},
            responses={200: {"headers": ETAG_HEADER}})
def get_tenant(principal: CurrentPrincipal, response: Response) -> TenantOut:
    """The caller's tenant. The ETag header is the version to send in If-Match."""
    tenant = tenants.get_tenant(principal)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@router.patch(TENANT_PATH, name="update_tenant", permission=TENANT_UPDATE,
              grants={Grant.TABLE_READ, Grant.TABLE_WRITE},
              responses={200: {"headers": ETAG_HEADER}, 412: {"description": "If-Match does not match"},
                         428: {"description": "If-Match missing"}})
def update_tenant(body: TenantUpdate, principal: CurrentPrincipal, version: ExpectedVersion, info: CurrentRequest,
                  response: Response) -> TenantOut:
    """Rename the caller's tenant. Requires If-Match."""
    tenant = tenants.update_tenant(principal, body, version, info)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@router.get("/.well-known/jwks.json", name="jwks", permission=PUBLIC, grants={Grant.SIGNING_KEYS_READ})
def jwks(response: Response) -> Jwks:
    """The public keys that verify access tokens (every key that may have signed a live token)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return Jwks(keys=[Jwk.model_validate(key.public_jwk()) for key in signing_keys.keyset()])


@router.post("/v1/auth/login", name="login", permission=PUBLIC, grants={Grant.TABLE_READ, Grant.TABLE_WRITE,
                                                                         Grant.SIGNING_KEYS_READ},
             responses={401: {"description": "Wrong email or password (the same answer for an unknown email)"},
                        403: {"description": "The tenant is suspended or the membership deactivated"},
                        409: {"description": "Several tenants: the problem lists them in `tenants`; send tenant_id"},
                        429: {"description": "Too many failed sign-ins; see Retry-After"}})
def login(body: LoginRequest, info: CurrentRequest) -> Tokens | MfaRequired:
    """Sign in. Answers tokens, or an MFA challenge to complete at ``POST /v1/auth/mfa``."""
    return logins.login(body, info)


@router.post("/v1/auth/refresh", name="refresh", permission=PUBLIC,
             grants={Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.SIGNING_KEYS_READ},
             responses={401: {"description": "Invalid, expired or reused refresh token (reuse revokes the session)"}})
def refresh(body: RefreshRequest, info: CurrentRequest) -> Tokens:
    """A new token pair; the refresh token sent is spent."""
    return sessions.refresh(body.refresh_token, info)


@router.post("/v1/auth/logout", name="logout", permission=SELF, status_code=204, grants={Grant.TABLE_READ,
                                                                                          Grant.TABLE_WRITE})
def logout(principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """End the caller's session (its refresh token stops at once, access tokens within 60 s)."""
    sessions.revoke_session(principal.tenant_id, _session_of(principal), _actor(principal), info,
                            action="session.ended")


@router.get("/v1/sessions", name="list_sessions", permission=SELF, grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_sessions(principal: CurrentPrincipal, paging: Paging) -> SessionPage:
    """The caller's sessions in this tenant, newest first."""
    page = sessions.list_sessions(principal, limit=paging.limit, cursor=paging.cursor)
    return SessionPage(data=[SessionOut(
        id=s.id, created_at=clock.iso(s.created_at), user_agent=s.user_agent, ip=s.ip,
        last_used_at=clock.iso(s.last_used_at) if s.last_used_at else None, current=s.id == principal.session_id,
    ) for s in page.items], next_cursor=page.next_cursor)


@router.delete("/v1/sessions/{session_id}", name="revoke_session", permission=SELF, status_code=204,
               grants={Grant.TABLE_READ, Grant.TABLE_WRITE}, responses={404: {"description": "No such session"}})
def revoke_session(session_id: SessionId, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """End one of the caller's sessions."""
    sessions.revoke_session(principal.tenant_id, session_id, _actor(principal), info, owner_id=principal.id)


def _actor(principal: Principal) -> Ref:
    return actor_of(principal)


def _session_of(principal: Principal) -> str:
    if principal.session_id is None:
        raise Unauthenticated("this credential has no session")
    return principal.session_id
