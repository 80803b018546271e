"""Event types the audit context emits."""

from pydantic import BaseModel

from atrium.audit.retention import RETENTION_CHANGED
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store.audit import ENTRIES_WRITTEN


class EntriesWritten(BaseModel):
    """No data: the envelope's tenant is the chain to extend."""


class RetentionChanged(BaseModel):
    retention_days: int
    previous_days: int


ENTRIES_WRITTEN_EVENT = EventType(ENTRIES_WRITTEN, EntriesWritten,
                                  "New audit entries wait to be chained (put on the bus by the stream relay).",
                                  deliverable=False)
RETENTION_CHANGED_EVENT = EventType(RETENTION_CHANGED, RetentionChanged, "The tenant's audit retention changed.",
                                    read_permission="audit:read")

EVENT_TYPES = [ENTRIES_WRITTEN_EVENT, RETENTION_CHANGED_EVENT]
