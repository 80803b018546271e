"""Event types of retention, in the tenant's log."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

RETENTION_CHANGED = "privacy.retention_changed"
RETENTION_APPLIED = "privacy.retention_applied"


class RetentionChanged(BaseModel):
    days: dict[str, int]
    previous_days: dict[str, int]


class RetentionApplied(BaseModel):
    rule: str
    days: int
    before: str  # ISO-8601 UTC: what ended before it was deleted
    deleted: int


EVENT_TYPES = [
    EventType(RETENTION_CHANGED, RetentionChanged, "The tenant changed how long it keeps a kind of its data.",
              read_permission="privacy:read"),
    EventType(RETENTION_APPLIED, RetentionApplied, "The daily purge deleted a kind of the tenant's data that had "
                                                   "outlived its retention.", read_permission="privacy:read"),
]
