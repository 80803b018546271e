"""Build every declared resource in moto (or any endpoint boto3 points at) from the same
declarations CDK uses: the table, secrets, buckets, bus, per consumer a queue + DLQ and what fills it (a rule on
the bus, a subscription to a topic, or nothing: tasks are sent to it by name), the group of delayed tasks, the mail
sender and its configuration set. Then run the schedules marked ``run_on_deploy`` once, as the deploy trigger does
in AWS."""

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from atrium import manifest
from atrium.audit.checkpoints import CHECKPOINT_RETENTION_DAYS
from atrium.kernel import clock, tasks
from atrium.kernel.config import settings
from atrium.kernel.consumers import CONSUMER_TAG, ConsumerSpec, Events, Tasks, Topic
from atrium.kernel.store.table import TABLE
from atrium_local.environment import aws_client


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


def _consumer_queues(spec: ConsumerSpec[Any], bus_name: str) -> ConsumerQueues:
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
            events, rule = aws_client("events"), f"atrium-{spec.resource_name}"
            events.put_rule(Name=rule, EventBusName=bus_name, EventPattern=json.dumps(spec.source.event_pattern()))
            events.put_targets(Rule=rule, EventBusName=bus_name, Targets=[{"Id": "queue", "Arn": arn}])
        case Topic():
            # Standard delivery: the body is the SNS envelope. Creating a topic is idempotent: consumers may share one.
            sns = aws_client("sns")
            topic_arn = sns.create_topic(Name=f"atrium-{spec.source.name}")["TopicArn"]
            sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "false"})
    return ConsumerQueues(spec, url, arn, dlq_url, topic_arn)


def _buckets(checkpoint_bucket: str, files_bucket: str) -> None:
    """The checkpoint bucket locks every object (compliance mode), as in AWS; moto keeps the lock."""
    s3 = aws_client("s3")
    s3.create_bucket(Bucket=checkpoint_bucket, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket=checkpoint_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": CHECKPOINT_RETENTION_DAYS}}})
    s3.create_bucket(Bucket=files_bucket)


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
    _buckets(config.audit_checkpoint_bucket, config.files_bucket)
    aws_client("events").create_event_bus(Name=config.bus_name)
    aws_client("sesv2").create_email_identity(EmailIdentity=config.mail_from)
    # moto keeps no event destinations: tests publish SES-shaped notifications to the feedback topic themselves.
    aws_client("sesv2").create_configuration_set(ConfigurationSetName=config.mail_configuration_set)
    provisioned = Provisioned(stream_arn=table["LatestStreamArn"],
                              consumers=[_consumer_queues(spec, config.bus_name) for spec in manifest.consumers()])
    aws_client("scheduler").create_schedule_group(Name=config.task_schedule_group)
    for spec in manifest.schedules():
        if spec.run_on_deploy:
            spec.handler(clock.now())
    return provisioned
