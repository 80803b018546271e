"""Identity routes."""

from fastapi import Response

from atrium.access.roles import TENANT_READ, TENANT_UPDATE
from atrium.identity import tenants
from atrium.identity.schemas import Jwk, Jwks, SignupRequest, SignupResponse, TenantOut, TenantUpdate
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.routing import PUBLIC, ContextRouter

router = ContextRouter("identity")
TENANT_PATH = "/v1/tenant"
_ETAG = {"ETag": {"description": "The version to send in If-Match", "schema": {"type": "string"}}}


@router.post("/v1/signup", name="signup", permission=PUBLIC, status_code=201, idempotent=True,
             grants={Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.SIGNING_KEYS_READ},
             responses={201: {"headers": {"Location": {"description": "The new tenant", "schema": {"type": "string"}}}},
                        409: {"description": "An account with this email already exists"}})
def signup(body: SignupRequest, info: CurrentRequest, response: Response) -> SignupResponse:
    """Create a tenant and its owner; returns tokens for the owner."""
    # Imported here, not at the top: argon2 and the JWT stack load only in the signup function.
    from atrium.identity.signup import signup as create_tenant

    result = create_tenant(body, info)
    response.headers["Location"] = TENANT_PATH
    return result


@router.get(TENANT_PATH, name="get_tenant", permission=TENANT_READ, grants={Grant.TABLE_READ},
            responses={200: {"headers": _ETAG}})
def get_tenant(principal: CurrentPrincipal, response: Response) -> TenantOut:
    """The caller's tenant. The ETag header is the version to send in If-Match."""
    tenant = tenants.get_tenant(principal)
    response.headers["ETag"] = etag(tenant.version)
    return tenant.body


@router.patch(TENANT_PATH, name="update_tenant", permission=TENANT_UPDATE,
              grants={Grant.TABLE_READ, Grant.TABLE_WRITE},
              responses={200: {"headers": _ETAG}, 412: {"description": "If-Match does not match"},
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
    from atrium.identity import signing_keys  # the crypto stack loads only in this function

    response.headers["Cache-Control"] = "public, max-age=300"
    return Jwks(keys=[Jwk.model_validate(key.public_jwk()) for key in signing_keys.keyset()])
