"""Feeds (from the declarations): per feed, a queue + DLQ subscribed to its topic and the function that
reads it. Standard (not raw) delivery: the handler parses the SNS envelope (atrium.kernel.events.feeds)."""

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, Tags
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atrium.kernel.events.feeds import FEED_TAG, FeedSpec
from infra.constructs.events import dead_letter_queue, secure_queue
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.constructs.observability import dlq_alarm
from infra.naming import pascal


@dataclass(frozen=True)
class FeedQueue:
    spec: FeedSpec
    queue: sqs.Queue
    dlq: sqs.Queue
    function: AtriumFunction


class Feeds(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, kit: FunctionKit, feeds: tuple[FeedSpec, ...],
                 topics: Mapping[str, sns.ITopic]) -> None:
        super().__init__(scope, construct_id)
        unknown = {spec.topic for spec in feeds} - set(topics)
        if unknown:
            raise KeyError(f"feeds read topics no construct provides: {sorted(unknown)}")
        self.feeds = [self._feed(spec, kit, topics[spec.topic]) for spec in feeds]

    def _feed(self, spec: FeedSpec, kit: FunctionKit, topic: sns.ITopic) -> FeedQueue:
        scope = Construct(self, pascal(spec.name))
        dlq = dead_letter_queue(scope, "Dlq", f"feed {spec.name}")
        queue = secure_queue(scope, "Queue", visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
                             dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=spec.max_receive_count,
                                                                   queue=dlq))
        topic.add_subscription(subscriptions.SqsSubscription(queue, raw_message_delivery=False))
        Tags.of(scope).add(FEED_TAG, spec.name)
        dlq_alarm(scope, "DlqAlarm", dlq, f"feed {spec.name}")
        function = AtriumFunction(scope, "Function", kit=kit, handler="feed.handler", description=spec.description,
                                  grants=spec.grants, timeout=Duration.seconds(spec.timeout_seconds),
                                  environment={"ATRIUM_FEED": spec.name}, layers=spec.layers)
        function.function.add_event_source(sources.SqsEventSource(
            queue, batch_size=spec.batch_size, report_batch_item_failures=True))
        return FeedQueue(spec, queue, dlq, function)
