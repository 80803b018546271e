"""API shapes of the operator context."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

TenantStatus = Literal["active", "suspended"]  # identity.models ACTIVE, SUSPENDED


class OperatorLoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"email": "ops@example.com", "password": "correct horse battery staple"}]})

    # Not checked as an email: a malformed one is simply an unknown operator (401, like a wrong password).
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=256)


class OperatorOut(BaseModel):
    id: str
    email: str
    roles: list[str]


class OperatorToken(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    operator: OperatorOut


class SuspendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Unpaid invoices"}]})

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=r"\S")]


class DirectoryEntryOut(BaseModel):
    id: str
    name: str
    status: str
    created_at: str


class TenantPage(BaseModel):
    data: list[DirectoryEntryOut]
    next_cursor: str | None


class DataKeyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"tenant_id": "ten_01J0000000000000000000000", "key_version": 2}]})

    tenant_id: str
    key_version: int = Field(description="The tenant's data key version that encrypts from now on; its items are "
                                          "being encrypted again under it")


class RotationQueued(BaseModel):
    status: Literal["queued"] = "queued"
