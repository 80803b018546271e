"""API shapes of the access context."""

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from atrium.kernel import clock

# A lowercase slug: letters, digits and single hyphens between them.
RoleName = Annotated[str, StringConstraints(min_length=2, max_length=40, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Permission = Annotated[str, StringConstraints(min_length=3, max_length=100)]
PermissionList = Annotated[list[Permission], Field(min_length=1, max_length=100)]
TokenName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")]


class PermissionOut(BaseModel):
    permission: str
    resource: str
    action: str
    description: str
    operation_ids: list[str]


class PermissionCatalog(BaseModel):
    data: list[PermissionOut]


class RoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "auditor", "description": "Reads users and roles", "permissions": ["users:read", "roles:read"]}]})

    name: RoleName
    description: Description = ""
    permissions: PermissionList


class RoleUpdate(BaseModel):
    """Fields left out keep their value."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"description": "Reads users", "permissions": ["users:read"]}]})

    description: Description | None = None
    permissions: PermissionList | None = None


class RoleOut(BaseModel):
    name: str
    built_in: bool
    description: str
    patterns: list[str] = Field(description="What the role holds: permissions or patterns such as users:*")
    permissions: list[str] = Field(description="The catalog permissions the patterns allow")
    scope: str | None = Field(default=None, description="A scoped role: the id prefix of the record each of its "
                                                        "grants names; null for the others")
    created_at: str | None = None
    updated_at: str | None = None


class RoleList(BaseModel):
    data: list[RoleOut]


class MeUser(BaseModel):
    id: str
    email: str
    email_verified: bool
    mfa_enabled: bool


class MeTenant(BaseModel):
    id: str
    name: str
    status: str


class Me(BaseModel):
    user: MeUser
    tenant: MeTenant
    roles: list[str]
    scope: str | None = Field(description="The id of the one record a scoped role confines the caller to; null "
                                          "for everyone else")
    permissions: list[str]


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "CI deploys", "scopes": ["tenant:read"], "expires_at": "2099-01-01T00:00:00Z"}]})

    name: TokenName
    scopes: PermissionList
    expires_at: AwareDatetime | None = None


class ApiTokenOut(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="The current secret's kind and tenant, then its last four characters "
                                    "(`atr_live_<tenant ULID>_…Xy9z`)")
    scopes: list[str]
    created_by: str
    created_at: str
    last_used_at: str | None = Field(description="Updated at most every 5 minutes")
    expires_at: str | None


class ApiTokenSecretOut(ApiTokenOut):
    secret: str = Field(description="Shown once: store it now")
    previous_secret_valid_until: str | None = Field(
        default=None, description="After a rotation: when the replaced secret stops working")


class ApiTokenList(BaseModel):
    data: list[ApiTokenOut]
    next_cursor: str | None


def iso_or_none(value: datetime | None) -> str | None:
    return clock.iso(value) if value else None
