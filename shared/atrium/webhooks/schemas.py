"""API shapes of the webhooks context."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

# Outbound

MAX_RATE_PER_SECOND = 1000
EndpointUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
EventTypeName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
EventTypeNames = Annotated[list[EventTypeName], Field(max_length=100, description="Empty: every event type")]
# Strict: a lax model would take "5" or 0 for these, which the published schema refuses.
RatePerSecond = Annotated[int, Field(strict=True, ge=1, le=MAX_RATE_PER_SECOND,
                                     description="At most this many deliveries a second; null: no limit")]


class EventTypeOut(BaseModel):
    name: str
    description: str
    version: int
    json_schema: dict[str, Any] = Field(serialization_alias="schema", description="JSON schema of the data")
    example: dict[str, Any] = Field(description="A data object that the schema accepts")


class EventTypeList(BaseModel):
    data: list[EventTypeOut]


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"url": "https://example.com/webhooks", "description": "Orders service", "event_types": ["member.joined"]}]})

    url: EndpointUrl
    description: Description = ""
    event_types: EventTypeNames = []
    enabled: StrictBool = True
    rate_limit_per_second: RatePerSecond | None = None


class WebhookEndpointUpdate(BaseModel):
    """Fields left out keep their value; ``rate_limit_per_second`` sent as null removes the limit."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"description": "Orders service (v2)", "enabled": False}]})

    url: EndpointUrl | None = None
    description: Description | None = None
    event_types: EventTypeNames | None = None
    enabled: StrictBool | None = None
    rate_limit_per_second: RatePerSecond | None = None


class WebhookEndpointOut(BaseModel):
    id: str
    url: str
    description: str
    event_types: list[str] = Field(description="Empty: every event type")
    enabled: bool
    rate_limit_per_second: int | None
    created_at: str
    updated_at: str


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str = Field(description="The signing secret (whsec_…); also readable at …/secret with "
                                    "webhook_endpoints:read_secret")


class WebhookEndpointList(BaseModel):
    data: list[WebhookEndpointOut]
    next_cursor: str | None


class WebhookSecretOut(BaseModel):
    secret: str = Field(description="The current signing secret (whsec_…)")
    previous_secret_valid_until: str | None = Field(
        default=None, description="While a replaced secret still signs: when it stops")
