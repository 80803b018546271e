"""Operators' view of the dead-letter queues of consumers: their depth, their messages, and moving the
messages back to the queue they came from (``atrium dlq``).

Queues are found by the tag both runtimes put on a consumer's queue and its DLQ (``atrium:consumer``, naming
the consumer), so the same code reads moto and AWS. In AWS, messages move with SQS's own message move task; moto
does not implement it, so locally they are received, sent to the source queue and deleted, one batch at a time."""

import json
from dataclasses import dataclass
from typing import Any

from atrium.kernel.consumers import CONSUMER_TAG
from atrium_local.environment import aws_client

# The tag CDK puts on every resource of a stage (infra/app.py): keeps one stage's queues apart from another's.
STAGE_TAG = "atrium:stage"
# How long a message being moved stays hidden in the DLQ: a failed send leaves it there to move again.
MOVE_VISIBILITY_SECONDS = 30


@dataclass(frozen=True)
class QueueDlq:
    name: str  # the consumer's name
    queue_url: str
    queue_arn: str
    dlq_url: str
    dlq_arn: str
    depth: int

    @property
    def queue_name(self) -> str:
        return self.queue_url.rsplit("/", 1)[-1]

    @property
    def dlq_name(self) -> str:
        return self.dlq_url.rsplit("/", 1)[-1]

    def named(self, name: str) -> bool:
        return name in (self.name, self.queue_name, self.dlq_name)


def client() -> Any:
    return aws_client("sqs")


def queue_dlqs(sqs: Any, *, stage: str | None = None) -> list[QueueDlq]:
    """Every consumer's queue (optionally of one stage), with its DLQ and the DLQ's depth."""
    found = []
    for page in sqs.get_paginator("list_queues").paginate():
        for url in page.get("QueueUrls", []):
            tags = sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
            if CONSUMER_TAG not in tags or (stage is not None and tags.get(STAGE_TAG) != stage):
                continue
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", "RedrivePolicy"])
            policy = attributes["Attributes"].get("RedrivePolicy")
            if policy is None:  # the DLQ itself
                continue
            dlq_arn = json.loads(policy)["deadLetterTargetArn"]
            dlq_url = sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[-1])["QueueUrl"]
            depth = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])
            found.append(QueueDlq(tags[CONSUMER_TAG], url, attributes["Attributes"]["QueueArn"], dlq_url, dlq_arn,
                                  int(depth["Attributes"]["ApproximateNumberOfMessages"])))
    return sorted(found, key=lambda dlq: (dlq.name, dlq.queue_name))


def find(dlqs: list[QueueDlq], name: str) -> QueueDlq:
    """The DLQ of a consumer, given the consumer's name, its queue's name or its DLQ's name."""
    matches = [dlq for dlq in dlqs if dlq.named(name)]
    if len(matches) != 1:
        known = ", ".join(dlq.name for dlq in dlqs) or "none"
        why = "is ambiguous (pass a queue name, or --stage)" if matches else "names no queue with a DLQ"
        raise LookupError(f"{name!r} {why}; known: {known}")
    return matches[0]


def _json(text: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def summary(message: dict[str, Any]) -> dict[str, Any]:
    """What an operator needs to judge a parked message: what it carries and how often it was tried. What a
    message is shows in its body, whatever fills the queue: an EventBridge event (``detail-type``), an SNS
    notification (``TopicArn``), or else a task's body."""
    found = {"message_id": message["MessageId"],
             "receive_count": message["Attributes"].get("ApproximateReceiveCount")}
    body = _json(message["Body"])
    body = body if isinstance(body, dict) else {}
    if "detail-type" in body:
        event = body.get("detail")
        event = event if isinstance(event, dict) else {}
        return found | {"event_id": event.get("id"), "type": event.get("type"),
                        "tenant_id": event.get("tenant_id"), "data": event.get("data")}
    if "TopicArn" in body:
        return found | {"notification_id": body.get("MessageId"), "topic": body.get("TopicArn"),
                        "message": _json(body.get("Message")) or body.get("Message")}
    return found | {"tenant_id": body.get("tenant_id"), "body": body or message["Body"]}


def peek(sqs: Any, dlq: QueueDlq, *, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` messages of the DLQ, left in place (received without hiding them)."""
    seen: dict[str, dict[str, Any]] = {}
    while len(seen) < limit:
        messages = sqs.receive_message(QueueUrl=dlq.dlq_url, MaxNumberOfMessages=min(10, limit - len(seen)),
                                       VisibilityTimeout=0, AttributeNames=["All"]).get("Messages", [])
        new = [m for m in messages if m["MessageId"] not in seen]
        if not new:
            break
        seen.update((m["MessageId"], summary(m)) for m in new)
    return list(seen.values())


def move_back(sqs: Any, dlq: QueueDlq) -> int:
    """Move the messages the DLQ held when listed to the queue they came from; returns how many moved. (Not more:
    a message that fails again comes back to the DLQ, and must not be moved around in a loop.)"""
    moved = 0
    while moved < dlq.depth and (messages := sqs.receive_message(
            QueueUrl=dlq.dlq_url, MaxNumberOfMessages=min(10, dlq.depth - moved),
            VisibilityTimeout=MOVE_VISIBILITY_SECONDS).get("Messages", [])):
        for message in messages:
            sqs.send_message(QueueUrl=dlq.queue_url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dlq.dlq_url, ReceiptHandle=message["ReceiptHandle"])
        moved += len(messages)
    return moved


def start_move_task(sqs: Any, dlq: QueueDlq) -> str:
    """SQS moves the DLQ's messages back to the queue they came from in the background; returns the task handle."""
    handle: str = sqs.start_message_move_task(SourceArn=dlq.dlq_arn, DestinationArn=dlq.queue_arn)["TaskHandle"]
    return handle
