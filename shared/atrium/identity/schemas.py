"""API shapes of the identity context."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

# The pattern tells clients what stripping means: at least one character that is not whitespace.
TenantName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")]


class SignupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant_name: TenantName
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)


class TenantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
