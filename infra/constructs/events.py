"""The event path: the declared bus with the queue of events its rules could not deliver (each consumer of events
has its own rule, made with its queue: ``consumers.py``), and the stream relay that moves outbox items from the
table stream to the bus."""

from collections.abc import Mapping
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from atrium.kernel.events.relay import RELAY_FILTERS
from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, Bus
from infra.constructs.built import Deployment, supported
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.constructs.observability import dlq_alarm
from infra.constructs.permissions import Statement

DLQ_RETENTION = Duration.days(14)  # the SQS maximum: time to fix and redrive
RELAY_TIMEOUT = Duration.seconds(60)
RELAY_RETRY_ATTEMPTS = 10
# EventPattern's keys, as written in an EventBridge pattern document.
_PATTERN_FIELDS = {"source": "source", "detail-type": "detail_type", "detail": "detail", "account": "account",
                   "region": "region", "resources": "resources", "version": "version", "id": "id", "time": "time"}


def secure_queue(scope: Construct, construct_id: str, **props: Any) -> sqs.Queue:
    """SSE with SQS-owned keys and TLS-only access, for every queue."""
    return sqs.Queue(scope, construct_id, encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True, **props)


def dead_letter_queue(scope: Construct, construct_id: str, why: str, *, queue_name: str | None = None) -> sqs.Queue:
    queue = secure_queue(scope, construct_id, retention_period=DLQ_RETENTION, queue_name=queue_name)
    NagSuppressions.add_resource_suppressions(queue, [NagPackSuppression(
        id="AwsSolutions-SQS3", reason=f"This queue is itself a dead-letter queue ({why}); it is alarmed instead.")])
    return queue


def event_pattern(pattern: Mapping[str, Any]) -> events.EventPattern:
    """A routing-table pattern (EventBridge JSON keys) as a CDK EventPattern, unchanged."""
    unknown = set(pattern) - set(_PATTERN_FIELDS)
    if unknown:
        raise ValueError(f"event pattern keys {sorted(unknown)} have no EventPattern field")
    return events.EventPattern(**{_PATTERN_FIELDS[key]: value for key, value in pattern.items()})


class BuiltBus:
    """The stage's one bus, ``atrium-<stage>``."""

    def __init__(self, scope: Construct, construct_id: str, declaration: Bus, deployment: Deployment) -> None:
        self.declaration = declaration
        self.bus = events.EventBus(scope, construct_id, event_bus_name=f"atrium-{deployment.config.stage}")
        # Events a rule matched but could not deliver to its queue land here, not on the floor.
        self.undelivered = dead_letter_queue(scope, "Undelivered", "events the bus could not deliver to a queue")
        dlq_alarm(scope, "UndeliveredAlarm", self.undelivered, "the event bus targets")

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.bus.event_bus_name}

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access.SEND)
        return [Statement(("events:PutEvents",), (self.bus.event_bus_arn,))]


class StreamRelay(Construct):
    """Table stream -> bus. Only outbox and audit inserts and the rate limiter's tenant windows reach the function
    (the event source mapping filters them); a batch that keeps failing is recorded in a DLQ (its stream position, for
    replay within the stream's 24 h) instead of blocking the shard."""

    def __init__(self, scope: Construct, construct_id: str, *, kit: FunctionKit, table: dynamodb.ITable) -> None:
        super().__init__(scope, construct_id)
        self.function = AtriumFunction(self, "Function", kit=kit, handler="relay.handler", timeout=RELAY_TIMEOUT,
                                       description="Table stream (outbox, audit, rate windows) -> event bus",
                                       # Reading the table: the tenants' data keys, which open the envelopes.
                                       grants=[Grant.BUS_PUT, Grant.TABLE_READ])
        self.dlq = dead_letter_queue(self, "Dlq", "stream batches the relay failed to publish")
        self.function.function.add_event_source(sources.DynamoEventSource(
            table, starting_position=lambda_.StartingPosition.LATEST, batch_size=100,
            filters=[lambda_.FilterCriteria.filter(pattern) for pattern in RELAY_FILTERS],
            report_batch_item_failures=True, bisect_batch_on_error=True, retry_attempts=RELAY_RETRY_ATTEMPTS,
            max_record_age=Duration.days(1), on_failure=sources.SqsDlq(self.dlq),
        ))
        dlq_alarm(self, "DlqAlarm", self.dlq, "the stream relay")
