"""The event envelope every domain event travels in (ARCHITECTURE §5)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Ref(BaseModel):
    """A typed reference: the actor of an event or its subject."""

    model_config = ConfigDict(frozen=True)

    type: str
    id: str
    # What a person recognizes it by (an email, a token's name), when the writer knows it.
    name: str | None = None


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    version: int = 1
    tenant_id: str
    occurred_at: datetime
    actor: Ref
    subject: Ref
    data: dict[str, Any]


EVENT_SOURCE = "atrium"
