"""Consumers (from the declarations): per consumer, a queue with an alarmed DLQ, what fills the queue (a rule on
the bus, a subscription to a topic, or nothing: its context sends tasks to it by name) and the function reading
it (``functions/consumer.py``).

Built in two steps: the queues first, in the main stack (the function kit's environment and grants name the bus
and the task queues), the functions once the kit exists (``add_function``), in a nested stack per context
(``infra/stacks/consumers.py``)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration, Tags
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atrium.kernel.consumers import CONSUMER_TAG, ConsumerSpec, Tasks, Topic
from atrium.kernel.consumers import Events as EventSource
from atrium.kernel.grants import Grant
from infra.constructs.events import dead_letter_queue, event_pattern, secure_queue
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.constructs.homes import consumer_group
from infra.constructs.observability import dlq_alarm
from infra.constructs.permissions import Statement
from infra.naming import pascal

# Larger SQS batches require a batching window.
MAX_BATCH_WITHOUT_WINDOW = 10
# What sending tasks to a queue takes (``tasks.send`` finds the queue by name first).
TASK_SEND_ACTIONS = ("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes")


@dataclass(frozen=True)
class Fillers:
    """What fills consumers' queues."""

    bus: events.IEventBus
    # Where events a rule could not deliver to its queue go.
    undelivered: sqs.IQueue
    topics: Mapping[str, sns.ITopic]
    # Task queues are named (``tasks.send`` finds them by name): <prefix><consumer>.
    task_queue_prefix: str


class Consumer(Construct):
    def __init__(self, root: Construct, *, spec: ConsumerSpec[Any], fillers: Fillers) -> None:
        """``root`` holds the groups consumers sit in (``homes.py``): the stack."""
        super().__init__(consumer_group(root, spec.source), pascal(spec.name))
        self.spec = spec
        name = f"{fillers.task_queue_prefix}{spec.resource_name}" if isinstance(spec.source, Tasks) else None
        self.dlq = dead_letter_queue(self, "Dlq", f"consumer {spec.name}", queue_name=name and f"{name}-dlq")
        self.queue = secure_queue(self, "Queue", queue_name=name,
                                  visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
                                  dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=spec.max_receive_count,
                                                                        queue=self.dlq))
        Tags.of(self).add(CONSUMER_TAG, spec.name)
        dlq_alarm(self, "DlqAlarm", self.dlq, f"consumer {spec.name}")
        match spec.source:
            case EventSource():
                events.Rule(self, "Rule", event_bus=fillers.bus,
                            event_pattern=event_pattern(spec.source.event_pattern()),
                            description=f"{spec.name}: {spec.description}"[:512],
                            targets=[targets.SqsQueue(self.queue, dead_letter_queue=fillers.undelivered)])
            case Topic():
                topic = fillers.topics.get(spec.source.name)
                if topic is None:
                    raise KeyError(f"consumer {spec.name} reads topic {spec.source.name!r}: no construct provides it")
                # Standard (not raw) delivery: the runtime reads the SNS envelope.
                topic.add_subscription(subscriptions.SqsSubscription(self.queue, raw_message_delivery=False))

    @property
    def context(self) -> str:
        return self.spec.name.split(".", 1)[0]

    def add_function(self, kit: FunctionKit, scope: Construct) -> AtriumFunction:
        """The function reading the queue, made in ``scope`` (its context's nested stack)."""
        spec = self.spec
        function = AtriumFunction(
            scope, pascal(spec.name), kit=kit, handler="consumer.handler", description=spec.description,
            grants=spec.function_grants, timeout=Duration.seconds(spec.timeout_seconds),
            environment={"ATRIUM_CONSUMER": spec.name}, layers=spec.layers)
        window = Duration.seconds(1) if spec.batch_size > MAX_BATCH_WITHOUT_WINDOW else None
        function.function.add_event_source(sources.SqsEventSource(
            self.queue, batch_size=spec.batch_size, max_batching_window=window, report_batch_item_failures=True))
        return function


def task_queue_arns(consumers: Sequence[Consumer]) -> list[str]:
    """The queues tasks are sent to (now, or later by the delayed tasks' schedules)."""
    return [consumer.queue.queue_arn for consumer in consumers if isinstance(consumer.spec.source, Tasks)]


def send_statements(consumers: Sequence[Consumer]) -> list[tuple[Grant, Statement]]:
    """Code holding ``Tasks.send_grant`` may send to the task queues."""
    queues = tuple(task_queue_arns(consumers))
    return [(Tasks.send_grant, Statement(TASK_SEND_ACTIONS, queues))] if queues else []
