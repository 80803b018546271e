"""API shapes of the members context."""

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

RoleName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
MemberStatus = Literal["active", "deactivated"]


class RoleGrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: RoleName
    expires_at: AwareDatetime | None = None
    scope: str | None = Field(default=None, max_length=64, description=(
        "The id of the record a scoped role is confined to (its prefix is the role's `scope` in "
        "`GET /v1/roles`); required for scoped roles, refused for the others"))


Grants = Annotated[list[RoleGrantIn], Field(max_length=20)]


class MemberUpdate(BaseModel):
    """``roles`` replaces every grant the member holds; omitted fields are left as they are."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"roles": [{"role": "viewer"}]}]})

    roles: Grants | None = None
    status: MemberStatus | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> "MemberUpdate":
        if self.roles is None and self.status is None:
            raise ValueError("send roles, status or both")
        return self


class RoleGrantOut(BaseModel):
    role: str
    expires_at: str | None
    granted_by: str | None
    scope: str | None


class MemberOut(BaseModel):
    id: str
    email: str
    roles: list[RoleGrantOut]
    status: MemberStatus
    joined_at: str
    updated_at: str


class MemberPage(BaseModel):
    data: list[MemberOut]
    next_cursor: str | None


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"email": "new.member@example.com", "roles": [{"role": "member"}]}]})

    email: EmailStr = Field(max_length=254)
    roles: Annotated[list[RoleGrantIn], Field(min_length=1, max_length=20)]


class InvitationOut(BaseModel):
    id: str
    email: str
    roles: list[RoleGrantOut]
    status: Literal["pending", "expired"]
    expires_at: str
    invited_by: str
    created_at: str


class InvitationPage(BaseModel):
    data: list[InvitationOut]
    next_cursor: str | None


class InvitationAccept(BaseModel):
    """``password`` is needed only when the email has no account yet; an existing account's is never changed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"token": "atr_inv_2bWm0Jq3o9cXk1yT5uVnA8sDfGhJkL4zXcVbNmQwErT", "password": "correct horse battery staple"}]})

    token: str = Field(min_length=1, max_length=256)
    password: str | None = Field(default=None, min_length=1, max_length=256)


class JoinedTenant(BaseModel):
    id: str
    name: str
    status: str
    created_at: str
    updated_at: str


class JoinedUser(BaseModel):
    id: str
    email: str
    created_at: str


class InvitationAccepted(BaseModel):
    """Shaped like identity's signup response, declared here: a route function loads only its own context."""

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    tenant: JoinedTenant
    user: JoinedUser
