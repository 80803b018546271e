"""Event types: each declared once with the schema of its ``data``."""

from dataclasses import dataclass, field

from pydantic import BaseModel


@dataclass(frozen=True)
class EventType:
    name: str
    data: type[BaseModel]
    description: str
    version: int = 1
    # False for internal signals (a consumer's wake-up or command): never offered to webhook endpoints.
    deliverable: bool = True
    # The permission that reads this data through the API: whoever subscribes an endpoint to the type (or reads
    # its messages) needs it, so a webhook never shows what its configurer could not read.
    read_permission: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if self.deliverable and (self.read_permission is None or ":" not in self.read_permission):
            raise ValueError(f"event type {self.name}: a deliverable type declares its read_permission")
