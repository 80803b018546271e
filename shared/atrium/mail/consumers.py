"""Mail consumers."""

from atrium.kernel.consumers import ConsumerSpec, Topic
from atrium.kernel.grants import Grant
from atrium.mail.feedback import handle_feedback
from atrium.mail.resources import FEEDBACK_TOPIC

CONSUMERS = [
    ConsumerSpec(
        name="mail.record_feedback",
        source=Topic(FEEDBACK_TOPIC.name),
        handler=handle_feedback,
        description="Put permanently bounced and complaining addresses on the suppression list (SES feedback).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
    ),
]
