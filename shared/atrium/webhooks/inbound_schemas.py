"""Inbound hooks in the API."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

HookName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class InboundHookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "CRM updates"}]})

    name: HookName


class InboundHookOut(BaseModel):
    id: str
    name: str
    url: str = Field(description="Where senders POST; its last segment is unguessable, so keep it private")
    created_by: str
    created_at: str


class InboundHookSecretOut(InboundHookOut):
    secret: str = Field(description="The Standard Webhooks signing secret (`whsec_…`), shown only here")


class InboundHookList(BaseModel):
    data: list[InboundHookOut]
    next_cursor: str | None


class InboundReceipt(BaseModel):
    webhook_id: str
    duplicate: bool = Field(description="This webhook-id was received before: accepted, not emitted again")


class StripeReceipt(BaseModel):
    stripe_event_id: str
    duplicate: bool = Field(description="This event was received before: accepted, not emitted again")
