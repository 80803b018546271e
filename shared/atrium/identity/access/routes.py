"""Access routes: the permission catalog, roles, the caller's own access, API tokens."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.identity.access.me import me as read_me
from atrium.identity.access.schemas import (
    ApiTokenCreate,
    ApiTokenList,
    ApiTokenOut,
    ApiTokenSecretOut,
    Me,
    PermissionCatalog,
    PermissionOut,
    RoleCreate,
    RoleList,
    RoleOut,
    RoleUpdate,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER, SELF, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.identity.access import api_tokens, catalog, custom_roles
else:
    api_tokens, catalog, custom_roles = lazy_modules("atrium.identity.access", "api_tokens", "catalog", "custom_roles")

router = ContextRouter("access")
ROLES_PATH = "/v1/roles"
ROLE_PATH = "/v1/roles/{role_name}"
TOKENS_PATH = "/v1/api-tokens"
TOKEN_PATH = "/v1/api-tokens/{token_id}"
_NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}


@router.get("/v1/permissions", name="list_permissions", permission="permissions:read")
def list_permissions() -> PermissionCatalog:
    """Every permission a role or an API token can hold, with the operations that need it."""
    return PermissionCatalog(data=[
        PermissionOut(permission=entry.permission, resource=entry.resource, action=entry.action,
                      description=entry.description, operation_ids=list(entry.operation_ids))
        for entry in catalog.catalog()])


@router.get(ROLES_PATH, name="list_roles", permission="roles:read", grants=READ)
def list_roles(principal: CurrentPrincipal) -> RoleList:
    """The built-in roles, then the tenant's custom roles by name."""
    return RoleList(data=custom_roles.list_roles(principal))


@router.post(ROLES_PATH, name="create_role", permission="roles:create", status_code=201, idempotent=True,
             grants=WRITE, responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER},
                                      409: {"description": "The name is taken or the tenant has 50 custom roles"}})
def create_role(body: RoleCreate, principal: CurrentPrincipal, info: CurrentRequest, response: Response) -> RoleOut:
    """A custom role holding catalog permissions, each one the caller holds."""
    role, version = custom_roles.create_role(principal, body, info)
    response.headers["Location"] = f"{ROLES_PATH}/{role.name}"
    response.headers["ETag"] = etag(version)
    return role


@router.get(ROLE_PATH, name="get_role", permission="roles:read", grants=READ,
            responses={200: {"headers": ETAG_HEADER}, **_NOT_FOUND})
def get_role(role_name: str, principal: CurrentPrincipal, response: Response) -> RoleOut:
    """A built-in or custom role. A custom role's ETag is the version to send in If-Match."""
    role, version = custom_roles.get_role(principal, role_name)
    if version is not None:
        response.headers["ETag"] = etag(version)
    return role


@router.patch(ROLE_PATH, name="update_role", permission="roles:update", grants=WRITE,
              responses={200: {"headers": ETAG_HEADER}, **_NOT_FOUND, 409: {"description": "A built-in role"},
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"}})
def update_role(role_name: str, body: RoleUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                info: CurrentRequest, response: Response) -> RoleOut:
    """Change a custom role's description or permissions. Requires If-Match."""
    role, new_version = custom_roles.update_role(principal, role_name, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return role


@router.delete(ROLE_PATH, name="delete_role", permission="roles:delete", status_code=204, grants=WRITE,
               responses={**_NOT_FOUND, 409: {"description": "A built-in role, or members still hold it"}})
def delete_role(role_name: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete a custom role that no member holds."""
    custom_roles.delete_role(principal, role_name, info)


@router.get("/v1/me", name="me", permission=SELF, grants=READ)
def me(principal: CurrentPrincipal) -> Me:
    """The signed-in user, their tenant, their roles and the permissions those give."""
    return read_me(principal)


@router.post(TOKENS_PATH, name="create_api_token", permission="api_tokens:create", status_code=201,
             idempotent=True, grants=WRITE, step_up=True, responses={201: {"headers": LOCATION_HEADER}})
def create_api_token(body: ApiTokenCreate, principal: CurrentPrincipal, info: CurrentRequest,
                     response: Response) -> ApiTokenSecretOut:
    """An API token with scopes the caller holds. The secret is in this response only."""
    token = api_tokens.create_token(principal, body, info)
    response.headers["Location"] = f"{TOKENS_PATH}/{token.id}"
    return token


@router.get(TOKENS_PATH, name="list_api_tokens", permission="api_tokens:read",
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_api_tokens(principal: CurrentPrincipal, paging: Paging) -> ApiTokenList:
    """The tenant's API tokens, oldest first (never their secrets)."""
    return api_tokens.list_tokens(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(TOKEN_PATH, name="get_api_token", permission="api_tokens:read", grants=READ, responses=_NOT_FOUND)
def get_api_token(token_id: str, principal: CurrentPrincipal) -> ApiTokenOut:
    return api_tokens.get_token(principal, token_id)


@router.post(f"{TOKEN_PATH}/rotate", name="rotate_api_token", permission="api_tokens:update", grants=WRITE,
             step_up=True, responses={**_NOT_FOUND, 409: {"description": "The token has expired"}})
def rotate_api_token(token_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> ApiTokenSecretOut:
    """A new secret, shown once; the previous one works until ``previous_secret_valid_until``."""
    return api_tokens.rotate_token(principal, token_id, info)


@router.delete(TOKEN_PATH, name="revoke_api_token", permission="api_tokens:delete", status_code=204, grants=WRITE,
               responses=_NOT_FOUND)
def revoke_api_token(token_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Revoke the token and all its secrets at once (effective within the authorizer cache, 60 s at most)."""
    api_tokens.revoke_token(principal, token_id, info)
