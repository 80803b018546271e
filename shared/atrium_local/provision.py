"""Build every declared resource in moto (or any endpoint boto3 points at) from the same
declarations CDK uses: the table, secrets, buckets, bus, one queue + DLQ + rule per consumer, one
topic + subscribed queue + DLQ per feed, one queue + DLQ per task queue and the group of delayed tasks,
the mail sender and its configuration set. Then run the jobs marked ``run_on_deploy`` once, as the deploy
trigger does in AWS."""

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from atrium import manifest
from atrium.audit.checkpoints import CHECKPOINT_RETENTION_DAYS
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.events.feeds import FEED_TAG, FeedSpec
from atrium.kernel.events.routing import CONSUMER_TAG, ConsumerSpec
from atrium.kernel.store.table import TABLE
from atrium.kernel.tasks import TASK_TAG, TaskSpec
from atrium_local.environment import aws_client


@dataclass(frozen=True)
class ConsumerQueues:
    spec: ConsumerSpec
    queue_url: str
    queue_arn: str
    dlq_url: str


@dataclass(frozen=True)
class FeedQueues:
    spec: FeedSpec
    queue_url: str
    queue_arn: str
    dlq_url: str
    topic_arn: str


@dataclass(frozen=True)
class TaskQueues:
    spec: TaskSpec
    queue_url: str
    queue_arn: str
    dlq_url: str


@dataclass
class Provisioned:
    stream_arn: str
    consumers: list[ConsumerQueues] = field(default_factory=list)
    feeds: list[FeedQueues] = field(default_factory=list)
    tasks: list[TaskQueues] = field(default_factory=list)


def _queue(sqs: Any, name: str, attributes: dict[str, str], tags: dict[str, str]) -> tuple[str, str]:
    """A queue tagged with the consumer or feed it serves, as CDK tags it (``atrium dlq`` finds DLQs so)."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=tags)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _queue_with_dlq(spec: ConsumerSpec | FeedSpec | TaskSpec) -> tuple[str, str, str]:
    """The spec's queue (url, arn) and its DLQ's url."""
    sqs = aws_client("sqs")
    tag = FEED_TAG if isinstance(spec, FeedSpec) else TASK_TAG if isinstance(spec, TaskSpec) else CONSUMER_TAG
    name = spec.queue_name() if isinstance(spec, TaskSpec) else f"atrium-{spec.resource_name}"
    dlq_url, dlq_arn = _queue(sqs, f"{name}-dlq", {}, {tag: spec.name})
    url, arn = _queue(sqs, name, {
        "VisibilityTimeout": str(spec.visibility_timeout_seconds),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count}),
    }, {tag: spec.name})
    return url, arn, dlq_url


def _consumer_queues(spec: ConsumerSpec, bus_name: str) -> ConsumerQueues:
    events = aws_client("events")
    url, arn, dlq_url = _queue_with_dlq(spec)
    rule = f"atrium-{spec.resource_name}"
    events.put_rule(Name=rule, EventBusName=bus_name, EventPattern=json.dumps(spec.event_pattern()))
    events.put_targets(Rule=rule, EventBusName=bus_name, Targets=[{"Id": "queue", "Arn": arn}])
    return ConsumerQueues(spec, url, arn, dlq_url)


def _buckets(checkpoint_bucket: str, files_bucket: str) -> None:
    """The checkpoint bucket locks every object (compliance mode), as in AWS; moto keeps the lock."""
    s3 = aws_client("s3")
    s3.create_bucket(Bucket=checkpoint_bucket, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket=checkpoint_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": CHECKPOINT_RETENTION_DAYS}}})
    s3.create_bucket(Bucket=files_bucket)


def topic_name(topic: str) -> str:
    return f"atrium-{topic}"


def _feed_queues(spec: FeedSpec) -> FeedQueues:
    """The feed's topic, and its queue subscribed with standard delivery (the body is the SNS envelope)."""
    sns = aws_client("sns")
    topic_arn = sns.create_topic(Name=topic_name(spec.topic))["TopicArn"]  # idempotent: feeds may share a topic
    url, arn, dlq_url = _queue_with_dlq(spec)
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "false"})
    return FeedQueues(spec, url, arn, dlq_url, topic_arn)


def _task_queues(spec: TaskSpec) -> TaskQueues:
    return TaskQueues(spec, *_queue_with_dlq(spec))


def provision() -> Provisioned:
    config = settings()
    dynamodb = aws_client("dynamodb")
    table = dynamodb.create_table(**TABLE.create_table_request(config.table_name))["TableDescription"]
    dynamodb.update_time_to_live(TableName=config.table_name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": TABLE.ttl_attribute})
    secretsmanager = aws_client("secretsmanager")
    secretsmanager.create_secret(Name=config.signing_secret_id, SecretString=json.dumps({"keys": []}))
    secretsmanager.create_secret(Name=config.cursor_secret_id, SecretString=secrets.token_urlsafe(48))
    secretsmanager.create_secret(Name=config.audit_secret_id, SecretString=secrets.token_urlsafe(48))
    secretsmanager.create_secret(Name=config.stripe_webhook_secret_id,
                                 SecretString=config.stripe_webhook_secret or f"whsec_{secrets.token_urlsafe(24)}")
    secretsmanager.create_secret(Name=config.webhook_secret_id, SecretString=secrets.token_urlsafe(48))
    secretsmanager.create_secret(Name=config.mfa_secret_id, SecretString=secrets.token_urlsafe(48))
    _buckets(config.audit_checkpoint_bucket, config.files_bucket)
    aws_client("events").create_event_bus(Name=config.bus_name)
    aws_client("sesv2").create_email_identity(EmailIdentity=config.mail_from)
    # moto keeps no event destinations: tests publish SES-shaped notifications to the feedback topic themselves.
    aws_client("sesv2").create_configuration_set(ConfigurationSetName=config.mail_configuration_set)
    provisioned = Provisioned(stream_arn=table["LatestStreamArn"],
                              consumers=[_consumer_queues(spec, config.bus_name) for spec in manifest.consumers()],
                              feeds=[_feed_queues(spec) for spec in manifest.feeds()],
                              tasks=[_task_queues(spec) for spec in manifest.tasks()])
    aws_client("scheduler").create_schedule_group(Name=config.task_schedule_group)
    for spec in manifest.schedules():
        if spec.run_on_deploy:
            spec.handler(clock.now())
    return provisioned
