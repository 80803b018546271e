"""Event types of the tenants' data keys, in the tenant's log."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

DATA_KEY_ROTATED = "compliance.data_key_rotated"


class DataKeyRotated(BaseModel):
    key_version: int  # the version that encrypts from now on


DATA_KEY_ROTATED_EVENT = EventType(DATA_KEY_ROTATED, DataKeyRotated,
                                   "An operator rotated the tenant's data key; its items are encrypted again under "
                                   "the new version.", read_permission="audit:read")

EVENT_TYPES = [DATA_KEY_ROTATED_EVENT]
