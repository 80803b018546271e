"""Feeds: queues that an SNS topic fills with notifications from AWS services (SES feedback, for one),
not with Atrium's own events. Each is declared once, in its context's ``feeds.py``; CDK makes the topic's
subscription, the queue, its DLQ and the function from it, and the local stack provisions the same in moto.

Subscriptions use SNS's standard (not raw) delivery: the SQS body is the SNS envelope, whose ``Message``
is the publisher's JSON. That keeps the topic and message id with every notification.
"""

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from atrium.kernel.events.queued import QueuedSpec

# The tag that names a feed's queues (CDK and the local stack set it).
FEED_TAG = "atrium:feed"


class SnsNotification(BaseModel):
    """The SNS envelope of one notification, as an SQS subscription without raw delivery receives it."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    type: str = Field(alias="Type")
    message_id: str = Field(alias="MessageId")
    topic_arn: str = Field(alias="TopicArn")
    message: str = Field(alias="Message")


@dataclass(frozen=True, kw_only=True)
class FeedSpec(QueuedSpec):
    # The topic the queue subscribes to, by its logical name (the infra and the local stack name it).
    topic: str
    # Must be idempotent on the notification: SNS and SQS both deliver at least once.
    handler: Callable[[SnsNotification], None]
