"""Event types of the tenant's privacy settings, in the tenant's log."""

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

EVENT_TYPES = [SETTINGS_CHANGED_EVENT]
