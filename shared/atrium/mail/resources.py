"""Mail's resources: the identity mail is sent from, and the configuration set every send names, which publishes
bounces and complaints to the feedback topic (read by ``mail.record_feedback``)."""

from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, ConfigurationSet, MailIdentity, NotificationTopic

FEEDBACK_TOPIC = NotificationTopic(name="mail-feedback", description="SES bounces and complaints",
                                   publisher="ses.amazonaws.com")

# SES authorizes a send on both the identity and the configuration set it names.
RESOURCES = [
    FEEDBACK_TOPIC,
    MailIdentity(name="sender", description="The sender's SES identity", setting="mail_from",
                 grants={Grant.MAIL_SEND: Access.SEND}),
    ConfigurationSet(name="configuration-set", description="Publishes bounces and complaints to the feedback topic",
                     setting="mail_configuration_set", topic=FEEDBACK_TOPIC.name, events=("bounce", "complaint"),
                     grants={Grant.MAIL_SEND: Access.SEND}),
]
