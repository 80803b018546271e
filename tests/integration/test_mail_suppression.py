"""SES feedback -> SNS -> SQS -> the topic's consumer -> suppression list; sends to suppressed addresses are
skipped."""

import importlib
import json
import sys
from typing import Any

import boto3
import pytest

from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium.mail import service as mail_service
from atrium.mail.categories import Category
from atrium.mail.models import SuppressionItem
from atrium.mail.service import Email, send_email
from atrium_local.lambda_context import LocalContext
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.support.mail_feedback import bounce, complaint, publish

ADDRESS = "Gone@Example.com"


def _feedback(aws: Provisioned, *events: dict[str, object]) -> None:
    for event in events:
        publish(aws, event)
    Worker(aws, retry_delay_seconds=0).drain()


def _welcome(to: str) -> str | None:
    with tenant_scope("ten_01JTESTTENANT0000000000000"):
        return send_email(Email(to=to, template="welcome", category=Category.ACCOUNT,
                                context={"tenant_name": "Acme", "tenant_id": "ten_01JTESTTENANT0000000000000"}))


def test_a_permanent_bounce_suppresses_the_address(aws: Provisioned) -> None:
    _feedback(aws, bounce(ADDRESS))
    item = SuppressionItem.find("gone@example.com")
    assert item is not None and item.reason == "bounce" and item.feedback_id == "0100019a-bounce-permanent-000000"
    feed = aws.consumer("mail.record_feedback")
    assert _depth(feed.queue_url) == _depth(feed.dlq_url) == 0


def test_a_transient_bounce_does_not(aws: Provisioned) -> None:
    _feedback(aws, bounce(ADDRESS, "Transient"))
    assert SuppressionItem.find("gone@example.com") is None
    assert _welcome(ADDRESS) is not None


def test_a_complaint_suppresses_the_address_and_a_later_bounce_keeps_the_first_reason(aws: Provisioned) -> None:
    _feedback(aws, complaint(ADDRESS), bounce(ADDRESS))
    item = SuppressionItem.find("gone@example.com")
    assert item is not None and item.reason == "complaint"


def test_a_send_to_a_suppressed_address_is_skipped_and_recorded(aws: Provisioned) -> None:
    _feedback(aws, bounce(ADDRESS))
    assert _welcome("gone@example.COM") is None
    assert _welcome(ADDRESS) is None
    assert sent_mail() == []
    item = SuppressionItem.find("gone@example.com")
    assert item is not None and item.skipped_sends == 2 and item.last_skipped_at is not None
    assert _welcome("other@example.com") is not None  # only that address


def test_a_notification_that_is_not_ses_json_fails_and_is_retried_not_dropped(aws: Provisioned) -> None:
    feed = aws.consumer("mail.record_feedback")
    boto3.client("sns", region_name=settings().region).publish(TopicArn=feed.topic_arn, Message="not json")
    Worker(aws, retry_delay_seconds=0).drain()
    assert _depth(feed.queue_url) == 0 and _depth(feed.dlq_url) == 1


def test_the_consumer_entry_runs_an_sqs_batch_of_sns_envelopes(aws: Provisioned,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATRIUM_CONSUMER", "mail.record_feedback")
    sys.modules.pop("consumer", None)
    entry = importlib.import_module("consumer")
    feed = aws.consumer("mail.record_feedback")

    envelope = {"Type": "Notification", "MessageId": "m-1", "TopicArn": feed.topic_arn,
                "Message": json.dumps(complaint(ADDRESS)), "Timestamp": "2026-11-26T00:41:03.000Z"}
    record = {"messageId": "q-1", "receiptHandle": "r", "body": json.dumps(envelope), "attributes": {},
              "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
              "eventSourceARN": feed.queue_arn, "awsRegion": settings().region}
    assert entry.handler({"Records": [record]}, LocalContext("feed")) == {"batchItemFailures": []}
    assert SuppressionItem.find("gone@example.com") is not None


def _depth(url: str) -> int:
    attributes = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(value) for value in attributes["Attributes"].values())


def test_every_send_names_the_configuration_set_that_reports_feedback(aws: Provisioned,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[dict[str, Any]] = []
    real = mail_service._client()

    class Recording:
        def send_email(self, **request: Any) -> Any:
            sent.append(request)
            return real.send_email(**request)

    monkeypatch.setattr(mail_service, "_client", Recording)
    assert _welcome("someone@example.com") is not None
    (request,) = sent
    assert request["ConfigurationSetName"] == settings().mail_configuration_set == "atrium"
