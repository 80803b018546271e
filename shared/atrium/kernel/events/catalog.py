"""Event types: each declared once with the schema of its ``data``."""

from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True)
class EventType:
    name: str
    data: type[BaseModel]
    description: str
    version: int = 1
    # False for internal signals (a consumer's wake-up or command): never offered to webhook endpoints.
    deliverable: bool = True
