"""Operators' view of the dead-letter queues of consumers, feeds and task queues: their depth, their
messages, and moving the messages back to the queue they came from (``atrium dlq``).

Queues are found by the tag both runtimes put on such a queue and its DLQ (``atrium:consumer``,
``atrium:feed`` or ``atrium:task``, naming the declaration), so the same code reads moto and AWS. In AWS,
messages move with SQS's own message move task; moto does not implement it, so locally they are received,
sent to the source queue and deleted, one batch at a time."""

import json
from dataclasses import dataclass
from typing import Any

from atrium.kernel.events.feeds import FEED_TAG
from atrium.kernel.events.routing import CONSUMER_TAG
from atrium.kernel.tasks import TASK_TAG
from atrium_local.environment import aws_client

# The tag CDK puts on every resource of a stage (infra/app.py): keeps one stage's queues apart from another's.
STAGE_TAG = "atrium:stage"
# How long a message being moved stays hidden in the DLQ: a failed send leaves it there to move again.
MOVE_VISIBILITY_SECONDS = 30
# The tag that marks a queue (and its DLQ) of each kind of queue-fed declaration.
KINDS = {CONSUMER_TAG: "consumer", FEED_TAG: "feed", TASK_TAG: "task"}


@dataclass(frozen=True)
class QueueDlq:
    kind: str  # consumer, feed or task
    name: str  # the declaration's name
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
    """Every consumer, feed and task queue with a redrive policy (optionally of one stage), with its DLQ's
    depth."""
    found = []
    for page in sqs.get_paginator("list_queues").paginate():
        for url in page.get("QueueUrls", []):
            tags = sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
            tag = next((tag for tag in KINDS if tag in tags), None)
            if tag is None or (stage is not None and tags.get(STAGE_TAG) != stage):
                continue
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", "RedrivePolicy"])
            policy = attributes["Attributes"].get("RedrivePolicy")
            if policy is None:  # the DLQ itself
                continue
            dlq_arn = json.loads(policy)["deadLetterTargetArn"]
            dlq_url = sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[-1])["QueueUrl"]
            depth = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])
            found.append(QueueDlq(KINDS[tag], tags[tag], url, attributes["Attributes"]["QueueArn"], dlq_url, dlq_arn,
                                  int(depth["Attributes"]["ApproximateNumberOfMessages"])))
    return sorted(found, key=lambda dlq: (dlq.name, dlq.queue_name))


def find(dlqs: list[QueueDlq], name: str) -> QueueDlq:
    """The DLQ of a consumer, feed or task queue, given the declaration's name, its queue's name or its DLQ's
    name."""
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


def _summary(kind: str, message: dict[str, Any]) -> dict[str, Any]:
    """What an operator needs to judge a parked message: what it carries and how often it was tried. A
    consumer's message is an EventBridge event, a feed's an SNS notification, a task's the task's body."""
    summary = {"message_id": message["MessageId"],
               "receive_count": message["Attributes"].get("ApproximateReceiveCount")}
    body = _json(message["Body"])
    body = body if isinstance(body, dict) else {}
    if kind == "task":
        return summary | {"tenant_id": body.get("tenant_id"), "body": body or message["Body"]}
    if kind == "feed":
        return summary | {"notification_id": body.get("MessageId"), "topic": body.get("TopicArn"),
                          "message": _json(body.get("Message")) or body.get("Message")}
    event = body.get("detail", {})
    event = event if isinstance(event, dict) else {}
    return summary | {"event_id": event.get("id"), "type": event.get("type"), "tenant_id": event.get("tenant_id"),
                      "data": event.get("data")}


def peek(sqs: Any, dlq: QueueDlq, *, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` messages of the DLQ, left in place (received without hiding them)."""
    seen: dict[str, dict[str, Any]] = {}
    while len(seen) < limit:
        messages = sqs.receive_message(QueueUrl=dlq.dlq_url, MaxNumberOfMessages=min(10, limit - len(seen)),
                                       VisibilityTimeout=0, AttributeNames=["All"]).get("Messages", [])
        new = [m for m in messages if m["MessageId"] not in seen]
        if not new:
            break
        seen.update((m["MessageId"], _summary(dlq.kind, m)) for m in new)
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
