"""Event types the account context emits."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class EmailVerificationRequested(BaseModel):
    user_id: str
    email: str


EMAIL_VERIFICATION_REQUESTED = EventType(
    "account.email_verification_requested", EmailVerificationRequested,
    "A user asked for a link proving their email address; the link is minted where it is sent.")

EVENT_TYPES = [EMAIL_VERIFICATION_REQUESTED]
