"""Outbox -> stream -> relay -> bus -> queue -> consumer, with AWS event shapes."""

import json
from typing import Any

import boto3
import pytest

from atrium.identity.schemas import SignupRequest
from atrium.identity.signup import signup
from atrium.kernel.config import settings
from atrium.kernel.events.relay import relay
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium.mail import service as mail_service
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker


def _signup(email: str = "owner@example.com") -> str:
    return signup(SignupRequest(tenant_name="Acme", email=email, password="correct horse battery staple"),
                  RequestInfo()).tenant.id


def _queue_depth(url: str) -> int:
    attributes = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def test_tenant_created_reaches_the_welcome_email(aws: Provisioned) -> None:
    tenant_id = _signup()
    worker = Worker(aws, retry_delay_seconds=0)
    assert worker.relay_stream() >= 1
    queue = aws.consumers[0]
    message = boto3.client("sqs", region_name=settings().region).receive_message(
        QueueUrl=queue.queue_url, VisibilityTimeout=0)["Messages"][0]
    event = json.loads(message["Body"])
    assert event["source"] == "atrium" and event["detail-type"] == "tenant.created"
    assert event["detail"]["tenant_id"] == tenant_id and event["detail"]["id"].startswith("evt_")
    worker.drain()
    assert [m["to"] for m in sent_mail()] == ["owner@example.com"]
    assert _queue_depth(queue.queue_url) == 0


def test_a_redelivered_event_sends_no_second_email(aws: Provisioned) -> None:
    _signup()
    worker = Worker(aws, retry_delay_seconds=0)
    worker.relay_stream()
    queue = aws.consumers[0]
    sqs = boto3.client("sqs", region_name=settings().region)
    body = sqs.receive_message(QueueUrl=queue.queue_url, VisibilityTimeout=0)["Messages"][0]["Body"]
    sqs.send_message(QueueUrl=queue.queue_url, MessageBody=body)  # at-least-once: the same event again
    worker.drain()
    assert len(sent_mail()) == 1


def test_a_failing_consumer_retries_then_parks_the_message_in_its_dlq(aws: Provisioned,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []

    def broken_send(email: mail_service.Email) -> str:
        attempts.append(email.to)
        raise ConnectionError("mail provider down")

    monkeypatch.setattr(mail_service, "send_email", broken_send)
    monkeypatch.setattr("atrium.identity.consumers.send_email", broken_send)
    _signup()
    worker = Worker(aws, retry_delay_seconds=0)
    worker.drain()
    queue = aws.consumers[0]
    assert len(attempts) == queue.spec.max_receive_count
    assert _queue_depth(queue.queue_url) == 0
    assert _queue_depth(queue.dlq_url) == 1
    assert sent_mail() == []


def test_relay_reports_the_first_unpublished_record() -> None:
    class HalfFailingBus:
        def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
            return {"Entries": [{"EventId": "1"}, {"ErrorCode": "InternalFailure"}, {"EventId": "3"}]}

    def record(seq: str) -> dict[str, Any]:
        return {"eventName": "INSERT", "dynamodb": {"SequenceNumber": seq, "NewImage": {
            "entity": {"S": "Outbox"}, "tenant_id": {"S": "ten_1"}, "event_type": {"S": "x.y"},
            "envelope": {"S": "{}"}}}}

    result = relay({"Records": [record("1"), record("2"), record("3")]}, HalfFailingBus())
    assert result == {"batchItemFailures": [{"itemIdentifier": "2"}]}
