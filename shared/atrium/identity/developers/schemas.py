"""Request and response bodies of the developer routes."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints


class DeveloperRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"email": "dev@plugins.example", "name": "Plugin Works"}]})

    email: EmailStr
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)] = Field(
        description="Shown on the developer's marketplace listings")


class RegistrationAccepted(BaseModel):
    detail: str


class VerificationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, StringConstraints(min_length=20, max_length=200)]


class KeyOut(BaseModel):
    id: str
    shown: str = Field(description="The key's kind and last characters: enough to tell keys apart")
    created_at: str


class NewKey(KeyOut):
    secret: str = Field(description="The API key: shown this once, send it as `Authorization: Bearer <key>`")


class DeveloperOut(BaseModel):
    id: str
    email: str
    name: str
    status: str
    keys: list[KeyOut]


class Verified(BaseModel):
    developer: DeveloperOut
    key: NewKey
