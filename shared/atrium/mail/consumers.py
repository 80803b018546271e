"""Mail consumers."""

from atrium.kernel.consumers import ConsumerSpec, Topic
from atrium.kernel.grants import Grant
from atrium.mail.feedback import handle_feedback

# The SNS topic the SES configuration set publishes bounces and complaints to.
FEEDBACK_TOPIC = "mail-feedback"

CONSUMERS = [
    ConsumerSpec(
        name="mail.record_feedback",
        source=Topic(FEEDBACK_TOPIC),
        handler=handle_feedback,
        description="Put permanently bounced and complaining addresses on the suppression list (SES feedback).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
    ),
]
