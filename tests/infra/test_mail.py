"""Mail: the configuration set publishes bounces and complaints to an encrypted topic; the queue of each consumer
of a topic subscribes to it (standard delivery) and feeds its function; every send may name the configuration
set."""

from typing import Any

from atrium import manifest
from atrium.kernel.consumers import Topic
from atrium.kernel.grants import Grant
from tests.infra.test_events import mapping_of
from tests.infra.test_permissions import statements

OF_TOPICS = [spec for spec in manifest.consumers() if isinstance(spec.source, Topic)]


def _alarmed_queues(synthesized: Any) -> set[str]:
    return {synthesized.resolve(a.stack, d["Value"]).logical_id for a in synthesized.resources("AWS::CloudWatch::Alarm")
            for d in a.properties.get("Dimensions", []) if d["Name"] == "QueueName"}


def test_the_configuration_set_publishes_bounces_and_complaints_to_an_encrypted_topic(synthesized: Any) -> None:
    (destination,) = synthesized.resources("AWS::SES::ConfigurationSetEventDestination")
    props = destination.properties["EventDestination"]
    assert sorted(props["MatchingEventTypes"]) == ["bounce", "complaint"] and props["Enabled"] is True
    topic = synthesized.resolve(destination.stack, props["SnsDestination"]["TopicARN"])
    assert topic.type == "AWS::SNS::Topic"
    key = synthesized.resolve(topic.stack, topic.properties["KmsMasterKeyId"])
    assert key.type == "AWS::KMS::Key" and key.properties["EnableKeyRotation"] is True
    ses_may_use_key = [s for s in key.properties["KeyPolicy"]["Statement"]
                       if s["Principal"] == {"Service": "ses.amazonaws.com"}]
    assert ses_may_use_key and all("aws:SourceAccount" in s["Condition"]["StringEquals"] for s in ses_may_use_key)


def test_every_feed_reads_its_own_subscribed_queue_with_an_alarmed_dlq(synthesized: Any) -> None:
    assert OF_TOPICS, "atrium.manifest.consumers() has no consumer of a topic: nothing to test"
    functions = synthesized.functions("ATRIUM_CONSUMER")
    subscriptions = synthesized.resources("AWS::SNS::Subscription")
    assert len(subscriptions) == len(OF_TOPICS)
    for spec in OF_TOPICS:
        function = functions[spec.name]
        assert function.properties["Handler"] == "consumer.handler"
        mapping = mapping_of(synthesized, function)
        assert mapping.properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        queue = synthesized.resolve(mapping.stack, mapping.properties["EventSourceArn"])
        (subscription,) = [s for s in subscriptions if synthesized.resolve(s.stack, s.properties["Endpoint"]) == queue]
        assert subscription.properties["Protocol"] == "sqs"
        assert subscription.properties["RawMessageDelivery"] is False  # the handler parses the SNS envelope
        dlq = synthesized.resolve(queue.stack, queue.properties["RedrivePolicy"]["deadLetterTargetArn"])
        assert dlq.logical_id in _alarmed_queues(synthesized)


def test_senders_may_send_through_the_configuration_set_they_name(synthesized: Any) -> None:
    (configuration_set,) = synthesized.resources("AWS::SES::ConfigurationSet")
    senders = [(synthesized.functions("ATRIUM_CONSUMER")[spec.name], spec.grants)
               for spec in manifest.consumers()]
    assert any(Grant.MAIL_SEND in grants for _, grants in senders)
    for function, grants in senders:
        environment = synthesized.lifted(function.stack, function.properties["Environment"]["Variables"])
        assert environment["ATRIUM_MAIL_CONFIGURATION_SET"] == {"Ref": configuration_set.logical_id}
        assert "ATRIUM_API_URL" in environment  # one-click unsubscribe links lead to the API
        if Grant.MAIL_SEND in grants:
            (send,) = [s for s in statements(synthesized, function) if s["Action"] == "ses:SendEmail"]
            resources = [str(synthesized.lifted(function.stack, resource)) for resource in send["Resource"]]
            assert any("configuration-set/" in resource and configuration_set.logical_id in resource
                       for resource in resources), send
