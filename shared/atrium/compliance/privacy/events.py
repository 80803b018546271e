"""Event types of the tenant's privacy settings and of personal-data erasures, in the tenant's log. None of them
names the person: an erasure is known by its id."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType

SETTINGS_CHANGED = "privacy.settings_changed"


class PrivacySettingsChanged(BaseModel):
    pii_mode: str
    phone_region: str
    previous_pii_mode: str
    previous_phone_region: str


SETTINGS_CHANGED_EVENT = EventType(SETTINGS_CHANGED, PrivacySettingsChanged,
                                   "The tenant changed how personal data in free text is handled (flag or redact) or "
                                   "the region its phone numbers are read in.", read_permission="privacy:read")



class ErasureChanged(BaseModel):
    erasure_id: str
    status: str
    due_at: str


class Erased(BaseModel):
    erasure_id: str
    erased: dict[str, int]


ERASE_PERMISSION = "privacy:erase"
ERASURE_REQUESTED = EventType("privacy.erasure_requested", ErasureChanged,
                              "A person's erasure was requested; it is carried out when its grace period ends.",
                              read_permission=ERASE_PERMISSION)
ERASURE_CANCELED = EventType("privacy.erasure_canceled", ErasureChanged,
                             "A pending erasure was canceled within its grace period.",
                             read_permission=ERASE_PERMISSION)
ERASED = EventType("privacy.erased", Erased,
                   "A person's personal data was erased in every context (how many records each erased).",
                   read_permission=ERASE_PERMISSION)

EVENT_TYPES = [SETTINGS_CHANGED_EVENT, ERASURE_REQUESTED, ERASURE_CANCELED, ERASED]
