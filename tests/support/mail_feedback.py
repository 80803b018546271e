"""SES feedback as event publishing delivers it: the SES event JSON, published to the feedback topic (SNS
wraps it in its envelope and delivers that to the queue of the topic's consumer)."""

import json
from typing import Any

import boto3

from atrium.kernel.config import settings
from atrium.mail.resources import FEEDBACK_TOPIC
from atrium_local.provision import Provisioned

_MAIL = {
    "timestamp": "2026-11-26T00:40:02.012Z", "source": "Acme <no-reply@atrium.local>",
    "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/atrium.local", "sendingAccountId": "123456789012",
    "messageId": "0100019a-example-000000", "destination": [], "headersTruncated": False,
    "tags": {"ses:configuration-set": ["atrium"], "ses:source-ip": ["192.0.2.1"]},
}


def bounce(address: str, bounce_type: str = "Permanent") -> dict[str, Any]:
    sub_type = "General" if bounce_type == "Permanent" else "MailboxFull"
    return {"eventType": "Bounce", "mail": _MAIL | {"destination": [address]}, "bounce": {
        "bounceType": bounce_type, "bounceSubType": sub_type, "timestamp": "2026-11-26T00:41:02.669Z",
        "feedbackId": f"0100019a-bounce-{bounce_type.lower()}-000000", "reportingMTA": "dsn; mta.example.com",
        "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": "5.1.1",
                               "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]}}


def complaint(address: str) -> dict[str, Any]:
    return {"eventType": "Complaint", "mail": _MAIL | {"destination": [address]}, "complaint": {
        "complainedRecipients": [{"emailAddress": address}], "timestamp": "2026-11-26T00:41:02.669Z",
        "feedbackId": "0100019a-complaint-000000", "complaintFeedbackType": "abuse",
        "userAgent": "ExampleCorp Feedback Loop (V0.01)", "arrivalDate": "2026-11-26T00:41:02.669Z"}}


def publish(aws: Provisioned, event: dict[str, Any]) -> None:
    boto3.client("sns", region_name=settings().region).publish(TopicArn=aws.topics[FEEDBACK_TOPIC.name],
                                                                Message=json.dumps(event))
