"""Build everything declared in moto (or any endpoint boto3 points at) from the same declarations CDK uses: the
resources (``atrium_local.resources``), then per consumer a queue + DLQ and what fills it (a rule on the bus, a
subscription to a topic, or nothing: tasks are sent to it by name). Then run the schedules marked
``run_on_deploy`` once, as the deploy trigger does in AWS."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from atrium import manifest
from atrium.kernel import clock, tasks
from atrium.kernel.config import settings
from atrium.kernel.consumers import CONSUMER_TAG, ConsumerSpec, Events, Tasks, Topic
from atrium_local.environment import aws_client
from atrium_local.resources import provision_resources


@dataclass(frozen=True)
class ConsumerQueues:
    spec: ConsumerSpec[Any]
    queue_url: str
    queue_arn: str
    dlq_url: str
    # The topic the queue subscribes to (a consumer of a topic only).
    topic_arn: str | None = None


@dataclass
class Provisioned:
    stream_arn: str
    consumers: list[ConsumerQueues] = field(default_factory=list)
    topics: dict[str, str] = field(default_factory=dict)  # topic name -> ARN

    def consumer(self, name: str) -> ConsumerQueues:
        (found,) = [queues for queues in self.consumers if queues.spec.name == name]
        return found


def _queue(sqs: Any, name: str, attributes: dict[str, str], tags: dict[str, str]) -> tuple[str, str]:
    """A queue tagged with the consumer it serves, as CDK tags it (``atrium dlq`` finds DLQs so)."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=tags)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _queue_name(spec: ConsumerSpec[Any]) -> str:
    """A queue fed by tasks has the name ``tasks.send`` finds it by; CDK names no other, so locally they are simply
    ``atrium-<consumer>``."""
    return tasks.queue_name(spec.name) if isinstance(spec.source, Tasks) else f"atrium-{spec.resource_name}"


def _consumer_queues(spec: ConsumerSpec[Any], topics: Mapping[str, str]) -> ConsumerQueues:
    """The consumer's queue and DLQ, and what fills the queue."""
    sqs, name, tags = aws_client("sqs"), _queue_name(spec), {CONSUMER_TAG: spec.name}
    dlq_url, dlq_arn = _queue(sqs, f"{name}-dlq", {}, tags)
    url, arn = _queue(sqs, name, {
        "VisibilityTimeout": str(spec.visibility_timeout_seconds),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count}),
    }, tags)
    topic_arn = None
    match spec.source:
        case Events():
            events, rule, bus = aws_client("events"), f"atrium-{spec.resource_name}", settings().bus_name
            events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(spec.source.event_pattern()))
            events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
        case Topic():
            topic_arn = topics.get(spec.source.name)
            if topic_arn is None:
                raise KeyError(f"consumer {spec.name} reads topic {spec.source.name!r}, which is not declared")
            # Standard delivery: the body is the SNS envelope.
            aws_client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn,
                                        Attributes={"RawMessageDelivery": "false"})
    return ConsumerQueues(spec, url, arn, dlq_url, topic_arn)


def provision() -> Provisioned:
    resources = provision_resources(manifest.resources())
    provisioned = Provisioned(
        stream_arn=resources.stream_arn, topics=resources.topics,
        consumers=[_consumer_queues(spec, resources.topics) for spec in manifest.consumers()])
    for spec in manifest.schedules():
        if spec.run_on_deploy:
            spec.handler(clock.now())
    return provisioned
