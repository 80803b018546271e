"""Event types the access context emits. None carries a secret."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class RoleChanged(BaseModel):
    name: str
    description: str
    permissions: list[str]


class RoleDeleted(BaseModel):
    name: str


class ApiTokenChanged(BaseModel):
    token_id: str
    name: str
    prefix: str
    scopes: list[str]
    expires_at: str | None


class ApiTokenRotated(ApiTokenChanged):
    previous_secret_valid_until: str


ROLE_CREATED = EventType("role.created", RoleChanged, "A custom role was created.", read_permission="roles:read")
ROLE_UPDATED = EventType("role.updated", RoleChanged, "A custom role's description or permissions changed.",
                         read_permission="roles:read")
ROLE_DELETED = EventType("role.deleted", RoleDeleted, "A custom role was deleted.", read_permission="roles:read")
API_TOKEN_CREATED = EventType("api_token.created", ApiTokenChanged, "An API token was created.",
                              read_permission="api_tokens:read")
API_TOKEN_ROTATED = EventType("api_token.rotated", ApiTokenRotated,
                              "An API token got a new secret; the previous one works until the grace period ends.",
                              read_permission="api_tokens:read")
API_TOKEN_REVOKED = EventType("api_token.revoked", ApiTokenChanged, "An API token and all its secrets were revoked.",
                              read_permission="api_tokens:read")

EVENT_TYPES = [ROLE_CREATED, ROLE_UPDATED, ROLE_DELETED, API_TOKEN_CREATED, API_TOKEN_ROTATED, API_TOKEN_REVOKED]
