"""API shapes of the identity context."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from atrium.kernel.display_names import DisplayName

# Mail shows it (invitations, the welcome email): one line of visible text (kernel/display_names.py).
TenantName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), DisplayName()]


class SignupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"tenant_name": "Acme", "email": "ada@example.com", "password": "correct horse battery staple"}]})

    tenant_name: TenantName
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)


class TenantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Acme Studio"}]})

    name: TenantName


class TenantOut(BaseModel):
    id: str
    name: str
    status: str
    created_at: str
    updated_at: str


class UserOut(BaseModel):
    id: str
    email: str
    created_at: str


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class SignupResponse(Tokens):
    tenant: TenantOut
    user: UserOut


class Jwk(BaseModel):
    model_config = ConfigDict(extra="allow")

    kid: str
    kty: str
    alg: str
    use: str


class Jwks(BaseModel):
    keys: list[Jwk]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"email": "ada@example.com", "password": "correct horse battery staple"}]})

    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)
    tenant_id: str | None = Field(default=None, max_length=64,
                                  description="Required when the user belongs to several tenants")


class MfaRequired(BaseModel):
    """The password was right; send a code to ``POST /v1/auth/mfa`` with this token to get tokens."""

    mfa_required: Literal[True] = True
    mfa_token: str
    expires_in: int


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"refresh_token": "atr_rt_..."}]})

    refresh_token: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    id: str
    created_at: str
    last_used_at: str | None
    user_agent: str | None
    ip: str | None
    current: bool


class SessionPage(BaseModel):
    data: list[SessionOut]
    next_cursor: str | None
