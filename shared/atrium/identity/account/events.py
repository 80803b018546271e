"""Event types the account context emits: requests for the link emails and an email change to copy, internal
signals never delivered to webhooks."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class EmailVerificationRequested(BaseModel):
    user_id: str
    email: str


EMAIL_VERIFICATION_REQUESTED = EventType(
    "account.email_verification_requested", EmailVerificationRequested,
    "A user asked for a link proving their email address; the link is minted where it is sent.",
    deliverable=False)

class PasswordResetRequested(BaseModel):
    user_id: str
    email: str


PASSWORD_RESET_REQUESTED = EventType(
    "account.password_reset_requested", PasswordResetRequested,
    "Someone asked to reset a user's password; the link is minted where it is sent, to the user's address.",
    deliverable=False)


class EmailChange(BaseModel):
    user_id: str
    email: str
    previous_email: str


EMAIL_CHANGE_REQUESTED = EventType(
    "account.email_change_requested", EmailChange,
    "A user asked to change their email address; the link confirming the new one is minted where it is sent, and "
    "the current address is told.",
    deliverable=False)

EMAIL_CHANGED = EventType(
    "account.email_changed", EmailChange,
    "A user's email address changed; each of their memberships' copy of it is rewritten in its own tenant.",
    deliverable=False)

EVENT_TYPES = [EMAIL_VERIFICATION_REQUESTED, PASSWORD_RESET_REQUESTED, EMAIL_CHANGE_REQUESTED, EMAIL_CHANGED]
