"""SES feedback (event publishing through SNS): permanent bounces and complaints suppress the address.

A transient bounce (mailbox full, greylisting) says nothing about the address's future, so it is only logged.
"""


from pydantic import BaseModel, ConfigDict, Field, model_validator

from atrium.kernel.consumers import SnsNotification
from atrium.kernel.observability import logger
from atrium.mail.suppression import BOUNCE, COMPLAINT, suppress


class _Recipient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    email_address: str = Field(alias="emailAddress")


class _Bounce(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    bounce_type: str = Field(alias="bounceType")  # Permanent | Transient | Undetermined
    recipients: list[_Recipient] = Field(alias="bouncedRecipients")
    feedback_id: str = Field(alias="feedbackId")


class _Complaint(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    recipients: list[_Recipient] = Field(alias="complainedRecipients")
    feedback_id: str = Field(alias="feedbackId")


class SesEvent(BaseModel):
    """An SES event as event publishing sends it (``eventType``); identity notifications name the same field
    ``notificationType``, and are read the same way."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    event_type: str = Field(alias="eventType")
    bounce: _Bounce | None = None
    complaint: _Complaint | None = None

    @model_validator(mode="before")
    @classmethod
    def _notification_type(cls, data: object) -> object:
        if isinstance(data, dict) and "eventType" not in data and "notificationType" in data:
            return {**data, "eventType": data["notificationType"]}
        return data


def suppressions(event: SesEvent) -> tuple[str | None, list[str], str]:
    """What the event asks for: (reason, addresses, feedback id); no reason when nothing is to be suppressed."""
    if event.event_type == "Bounce" and event.bounce and event.bounce.bounce_type == "Permanent":
        return BOUNCE, [r.email_address for r in event.bounce.recipients], event.bounce.feedback_id
    if event.event_type == "Complaint" and event.complaint:
        return COMPLAINT, [r.email_address for r in event.complaint.recipients], event.complaint.feedback_id
    return None, [], ""


def handle_feedback(notification: SnsNotification) -> None:
    event = SesEvent.model_validate_json(notification.message)
    reason, addresses, feedback_id = suppressions(event)
    if reason is None:
        logger.info("SES feedback needs no suppression", extra={
            "event_type": event.event_type, "bounce_type": event.bounce.bounce_type if event.bounce else None})
        return
    for address in addresses:
        suppress(address, reason=reason, feedback_id=feedback_id)
