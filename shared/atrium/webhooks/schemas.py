"""API shapes of the webhooks context."""

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

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
    read_permission: str = Field(description="What subscribing an endpoint to it, or reading its messages, needs")
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


# Outbound: messages, deliveries and attempts

DeliveryStatus = Literal["pending", "sending", "succeeded", "failed"]


class WebhookAttemptOut(BaseModel):
    id: str
    message_id: str
    endpoint_id: str
    event_type: str
    attempt: int = Field(description="1 for the first attempt of this delivery")
    trigger: Literal["scheduled", "manual"]
    attempted_at: str
    succeeded: bool
    status_code: int | None = Field(description="The receiver's HTTP status; null when no response came")
    latency_ms: int | None
    response_body: str | None = Field(description="The first 4 KB of the response body")
    error: str | None = Field(description="Why no response counted (refused address, timeout, connection)")


class WebhookAttemptList(BaseModel):
    data: list[WebhookAttemptOut]
    next_cursor: str | None


class WebhookDeliveryOut(BaseModel):
    endpoint_id: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None


class WebhookMessageOut(BaseModel):
    id: str = Field(description="The webhook-id header of every attempt")
    event_type: str
    event_id: str | None = Field(description="The event it carries; null for a test message")
    created_at: str
    expires_at: str = Field(description="When the payload and its delivery log are deleted")
    payload: dict[str, Any]
    deliveries: list[WebhookDeliveryOut]
    attempts: list[WebhookAttemptOut] = Field(description="Newest first")


class WebhookMessageRetry(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})

    endpoint_id: str | None = Field(default=None, description="Resend to this endpoint only (even if it succeeded); "
                                                               "left out: to every endpoint whose delivery failed")


class WebhookRecover(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"since": "2026-11-20T00:00:00Z"}]})

    since: AwareDatetime = Field(description="Resend the messages created since then whose delivery failed")


class WebhookTestSend(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"event_type": "member.joined"}]})

    event_type: EventTypeName | None = Field(default=None, description="Send this type's catalog example; left "
                                                                        "out: a webhook_endpoint.test message")


class WebhookResent(BaseModel):
    message_ids: list[str] = Field(description="The messages queued, oldest first")
    more: bool = Field(description="True when more failed messages remain: call again to resend them")
