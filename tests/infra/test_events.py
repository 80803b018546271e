"""The event path: bus, per consumer of events a queue + DLQ + rule, consumers, and the stream relay."""

import json
from typing import Any

from atrium import manifest
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.relay import RELAY_FILTERS

CONSUMERS = [spec for spec in manifest.consumers() if isinstance(spec.source, Events)]


def mapping_of(synthesized: Any, function: Any) -> Any:
    (mapping,) = [m for m in synthesized.resources("AWS::Lambda::EventSourceMapping")
                  if synthesized.resolve(m.stack, m.properties["FunctionName"]) == function]
    return mapping


def queue_of(synthesized: Any, spec: ConsumerSpec[Any]) -> Any:
    mapping = mapping_of(synthesized, synthesized.functions("ATRIUM_CONSUMER")[spec.name])
    queue = synthesized.resolve(mapping.stack, mapping.properties["EventSourceArn"])
    assert queue.type == "AWS::SQS::Queue"
    return queue


def test_manifest_declares_consumers() -> None:
    assert CONSUMERS, "atrium.manifest.consumers() has no consumer of events: nothing to test"


def test_one_function_per_consumer_with_partial_batch_failures(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_CONSUMER")
    assert sorted(functions) == sorted(spec.name for spec in manifest.consumers())
    for spec in manifest.consumers():
        function = functions[spec.name]
        assert function.properties["Handler"] == "consumer.handler"
        assert function.properties["Timeout"] == spec.timeout_seconds
        mapping = mapping_of(synthesized, function)
        assert mapping.properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping.properties["BatchSize"] == spec.batch_size


def test_every_consumer_queue_has_a_dlq_with_the_declared_max_receive_count(synthesized: Any) -> None:
    queues = [queue_of(synthesized, spec) for spec in CONSUMERS]
    assert len({q.logical_id for q in queues}) == len(CONSUMERS), "consumers share a queue"
    for spec, queue in zip(CONSUMERS, queues, strict=True):
        redrive = queue.properties["RedrivePolicy"]
        assert redrive["maxReceiveCount"] == spec.max_receive_count
        dlq = synthesized.resolve(queue.stack, redrive["deadLetterTargetArn"])
        assert dlq.type == "AWS::SQS::Queue" and dlq != queue
        assert queue.properties["VisibilityTimeout"] == spec.visibility_timeout_seconds
        assert dlq.properties["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_every_dlq_has_a_depth_alarm(synthesized: Any) -> None:
    alarmed = {synthesized.resolve(a.stack, d["Value"]).logical_id
               for a in synthesized.resources("AWS::CloudWatch::Alarm")
               for d in a.properties.get("Dimensions", []) if d["Name"] == "QueueName"
               and a.properties["Threshold"] == 0 and a.properties["ComparisonOperator"] == "GreaterThanThreshold"}
    for spec in CONSUMERS:
        queue = queue_of(synthesized, spec)
        dlq = synthesized.resolve(queue.stack, queue.properties["RedrivePolicy"]["deadLetterTargetArn"])
        assert dlq.logical_id in alarmed, spec.name
    # The relay's on-failure queue too.
    (relay_mapping,) = [m for m in synthesized.resources("AWS::Lambda::EventSourceMapping")
                        if "DestinationConfig" in m.properties]
    relay_dlq = synthesized.resolve(relay_mapping.stack,
                                    relay_mapping.properties["DestinationConfig"]["OnFailure"]["Destination"])
    assert relay_dlq.logical_id in alarmed


def test_every_queue_is_encrypted_and_refuses_plain_http(synthesized: Any) -> None:
    secure: set[str] = set()
    for policy in synthesized.resources("AWS::SQS::QueuePolicy"):
        denies_http = any(s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
                          for s in policy.properties["PolicyDocument"]["Statement"])
        if denies_http:
            secure |= {synthesized.resolve(policy.stack, q).logical_id for q in policy.properties["Queues"]}
    for queue in synthesized.resources("AWS::SQS::Queue"):
        assert queue.logical_id in secure, queue.logical_id
        assert queue.properties["SqsManagedSseEnabled"] is True


def test_every_rule_is_a_consumer_pattern_targeting_its_queue(synthesized: Any) -> None:
    rules = synthesized.resources("AWS::Events::Rule")
    assert len(rules) == len(CONSUMERS)
    (bus,) = synthesized.resources("AWS::Events::EventBus")
    for spec in CONSUMERS:
        assert isinstance(spec.source, Events)
        # Consumers of the same events (webhooks' and plugins' of every deliverable one) each have their rule.
        matching = [r for r in rules if r.properties["EventPattern"] == spec.source.event_pattern()
                    and synthesized.resolve(r.stack, r.properties["Targets"][0]["Arn"]) == queue_of(synthesized, spec)]
        assert len(matching) == 1, spec.name
        rule = matching[0]
        assert synthesized.resolve(rule.stack, rule.properties["EventBusName"]) == bus
        (target,) = rule.properties["Targets"]
        # Undeliverable events go to a DLQ, not the floor.
        assert synthesized.resolve(rule.stack, target["DeadLetterConfig"]["Arn"]).type == "AWS::SQS::Queue"


def test_relay_reads_outbox_inserts_and_request_counts_from_the_stream(synthesized: Any) -> None:
    (relay,) = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Handler"] == "relay.handler"]
    mapping = mapping_of(synthesized, relay)
    props = mapping.properties
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    assert props["EventSourceArn"] == {"Fn::GetAtt": [table.logical_id, "StreamArn"]}
    patterns = [json.loads(criteria["Pattern"]) for criteria in props["FilterCriteria"]["Filters"]]
    assert patterns == list(RELAY_FILTERS)
    assert props["StartingPosition"] == "LATEST"
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BisectBatchOnFunctionError"] is True
    assert 0 < props["MaximumRetryAttempts"] <= 10
    dlq = synthesized.resolve(mapping.stack, props["DestinationConfig"]["OnFailure"]["Destination"])
    assert dlq.type == "AWS::SQS::Queue"
