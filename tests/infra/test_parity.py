"""The local stack and the synthesized template agree: table, the queues of consumers of events and their rules,
of consumers of topics and their subscriptions, of consumers of tasks (named) and their DLQs, schedules, and every
declared resource (the name the functions' environment gives it, its kind and what it is declared with: a
secret's value, a bucket's lock, expiry and CORS...). Both sides are read back from what was built, then normalized
to one shape."""

import json
from typing import Any

from atrium import manifest
from atrium.kernel.config import settings
from atrium.kernel.consumers import CONSUMER_TAG, Tasks, Topic
from atrium_local.environment import aws_client
from atrium_local.provision import Provisioned
from tests.infra.resource_shapes import deployed_resources, local_resources


def _table_shape(keys: list[dict[str, str]], attributes: list[dict[str, str]], indexes: list[dict[str, Any]],
                 ttl: str, stream: str) -> dict[str, Any]:
    return {
        "keys": [(k["AttributeName"], k["KeyType"]) for k in keys],
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in attributes),
        "indexes": sorted((i["IndexName"], tuple((k["AttributeName"], k["KeyType"]) for k in i["KeySchema"]),
                           i["Projection"]["ProjectionType"]) for i in indexes),
        "ttl": ttl, "stream": stream,
    }


def _task_shape(name: str, dlq_name: str, prefix: str, visibility_timeout: int, max_receive_count: int,
                ) -> dict[str, Any]:
    """A task queue without its prefix (``atrium-`` locally, ``atrium-<stage>-`` in AWS; the runtime reads it
    from ``ATRIUM_TASK_QUEUE_PREFIX``)."""
    assert name.startswith(prefix) and dlq_name.startswith(prefix), (prefix, name, dlq_name)
    return {"queue": name[len(prefix):], "dlq": dlq_name[len(prefix):], "visibility_timeout": visibility_timeout,
            "max_receive_count": max_receive_count}


def _consumers_of_tasks() -> set[str]:
    return {spec.name for spec in manifest.consumers() if isinstance(spec.source, Tasks)}


def _local_tasks() -> dict[str, Any]:
    sqs, tasks = aws_client("sqs"), {}
    for url in sqs.list_queues().get("QueueUrls", []):
        tags = sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        if tags.get(CONSUMER_TAG) not in _consumers_of_tasks() or "RedrivePolicy" not in attributes:
            continue
        redrive = json.loads(attributes["RedrivePolicy"])
        tasks[tags[CONSUMER_TAG]] = _task_shape(
            url.rsplit("/", 1)[-1], redrive["deadLetterTargetArn"].rsplit(":", 1)[-1], settings().task_queue_prefix,
            int(attributes["VisibilityTimeout"]), int(redrive["maxReceiveCount"]))
    return tasks


def _deployed_tasks(synthesized: Any) -> dict[str, Any]:
    functions, tasks = synthesized.functions("ATRIUM_CONSUMER"), {}
    for queue in synthesized.resources("AWS::SQS::Queue"):
        task = next((tag["Value"] for tag in queue.properties.get("Tags", []) if tag["Key"] == CONSUMER_TAG), None)
        if task not in _consumers_of_tasks() or "RedrivePolicy" not in queue.properties:
            continue
        redrive = queue.properties["RedrivePolicy"]
        dlq = synthesized.resolve(queue.stack, redrive["deadLetterTargetArn"])
        prefix = functions[task].properties["Environment"]["Variables"]["ATRIUM_TASK_QUEUE_PREFIX"]
        tasks[task] = _task_shape(queue.properties["QueueName"], dlq.properties["QueueName"], prefix,
                                  queue.properties["VisibilityTimeout"], redrive["maxReceiveCount"])
    return tasks


def _local(aws: Provisioned) -> dict[str, Any]:
    dynamodb, sqs, events = aws_client("dynamodb"), aws_client("sqs"), aws_client("events")
    table = dynamodb.describe_table(TableName=settings().table_name)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=settings().table_name)["TimeToLiveDescription"]
    consumers = {}
    for rule in events.list_rules(EventBusName=settings().bus_name)["Rules"]:
        (target,) = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=settings().bus_name)["Targets"]
        url = sqs.get_queue_url(QueueName=target["Arn"].rsplit(":", 1)[-1])["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        consumers[json.dumps(json.loads(rule["EventPattern"]), sort_keys=True)] = {
            "visibility_timeout": int(attributes["VisibilityTimeout"]),
            "max_receive_count": int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]),
        }
    subscriptions = []
    for subscription in aws_client("sns").list_subscriptions()["Subscriptions"]:
        url = sqs.get_queue_url(QueueName=subscription["Endpoint"].rsplit(":", 1)[-1])["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        raw = aws_client("sns").get_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"])["Attributes"].get("RawMessageDelivery", "false")
        subscriptions.append({"protocol": subscription["Protocol"], "raw": raw == "true",
                              "visibility_timeout": int(attributes["VisibilityTimeout"]),
                              "max_receive_count": int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"])})
    return {
        "table": _table_shape(table["KeySchema"], table["AttributeDefinitions"], table["GlobalSecondaryIndexes"],
                              ttl["AttributeName"], table["StreamSpecification"]["StreamViewType"]),
        "consumers": consumers,
        "subscriptions": sorted(subscriptions, key=json.dumps),
        "tasks": _local_tasks(),
        # The local runtime fires exactly the declared schedules (`atrium schedules run`, the worker's timer).
        "schedules": {spec.name: spec.expression for spec in manifest.schedules()},
        # The delayed tasks' schedule group and the audit checkpoints' lock among them.
        "resources": local_resources(aws),
    }


def _deployed(synthesized: Any) -> dict[str, Any]:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    props = table.properties
    consumers = {}
    for rule in synthesized.resources("AWS::Events::Rule"):
        (target,) = rule.properties["Targets"]
        queue = synthesized.resolve(rule.stack, target["Arn"])
        consumers[json.dumps(rule.properties["EventPattern"], sort_keys=True)] = {
            "visibility_timeout": queue.properties["VisibilityTimeout"],
            "max_receive_count": queue.properties["RedrivePolicy"]["maxReceiveCount"],
        }
    subscriptions = []
    for subscription in synthesized.resources("AWS::SNS::Subscription"):
        queue = synthesized.resolve(subscription.stack, subscription.properties["Endpoint"])
        subscriptions.append({"protocol": subscription.properties["Protocol"],
                              "raw": subscription.properties.get("RawMessageDelivery", False),
                              "visibility_timeout": queue.properties["VisibilityTimeout"],
                              "max_receive_count": queue.properties["RedrivePolicy"]["maxReceiveCount"]})
    schedules = {}
    for schedule in synthesized.resources("AWS::Scheduler::Schedule"):
        job = synthesized.resolve(schedule.stack, schedule.properties["Target"]["Arn"])
        name = job.properties["Environment"]["Variables"]["ATRIUM_SCHEDULE"]
        schedules[name] = schedule.properties["ScheduleExpression"]
    return {
        "table": _table_shape(props["KeySchema"], props["AttributeDefinitions"], props["GlobalSecondaryIndexes"],
                              props["TimeToLiveSpecification"]["AttributeName"],
                              props["StreamSpecification"]["StreamViewType"]),
        "consumers": consumers,
        "subscriptions": sorted(subscriptions, key=json.dumps),
        "tasks": _deployed_tasks(synthesized),
        "schedules": schedules,
        "resources": deployed_resources(synthesized),
    }


def test_local_stack_and_template_agree(aws: Provisioned, synthesized: Any) -> None:
    local, deployed = _local(aws), _deployed(synthesized)
    assert local["consumers"], "no consumer was provisioned locally: nothing compared"
    of_topics = [spec for spec in manifest.consumers() if isinstance(spec.source, Topic)]
    assert len(local["subscriptions"]) == len(of_topics), "a consumer of a topic has no subscription locally"
    assert sorted(local["tasks"]) == sorted(_consumers_of_tasks()), "a queue of tasks is missing locally"
    assert sorted(local["resources"]) == sorted(resource.name for resource in manifest.resources())
    assert local == deployed
