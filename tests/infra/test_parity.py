"""The local stack and the synthesized template agree: table, consumer queues and rules, feed
queues and their topic subscriptions, schedules, the audit checkpoints' lock. Both sides are read back
from what was built, then normalized to one shape."""

import json
from typing import Any

from atrium import manifest
from atrium.kernel.config import settings
from atrium.local.environment import aws_client
from atrium.local.provision import Provisioned


def _table_shape(keys: list[dict[str, str]], attributes: list[dict[str, str]], indexes: list[dict[str, Any]],
                 ttl: str, stream: str) -> dict[str, Any]:
    return {
        "keys": [(k["AttributeName"], k["KeyType"]) for k in keys],
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in attributes),
        "indexes": sorted((i["IndexName"], tuple((k["AttributeName"], k["KeyType"]) for k in i["KeySchema"]),
                           i["Projection"]["ProjectionType"]) for i in indexes),
        "ttl": ttl, "stream": stream,
    }


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
    feeds = []
    for subscription in aws_client("sns").list_subscriptions()["Subscriptions"]:
        url = sqs.get_queue_url(QueueName=subscription["Endpoint"].rsplit(":", 1)[-1])["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        raw = aws_client("sns").get_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"])["Attributes"].get("RawMessageDelivery", "false")
        feeds.append({"protocol": subscription["Protocol"], "raw": raw == "true",
                      "visibility_timeout": int(attributes["VisibilityTimeout"]),
                      "max_receive_count": int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"])})
    return {
        "table": _table_shape(table["KeySchema"], table["AttributeDefinitions"], table["GlobalSecondaryIndexes"],
                              ttl["AttributeName"], table["StreamSpecification"]["StreamViewType"]),
        "consumers": consumers,
        "feeds": sorted(feeds, key=json.dumps),
        # The local runtime fires exactly the declared schedules (`atrium jobs run`, the worker's timer).
        "schedules": {spec.name: spec.expression for spec in manifest.schedules()},
        # moto also answers the unset period as 0 ("Years": 0); CloudFormation names only the one set.
        "checkpoint_lock": {name: value for name, value in aws_client("s3").get_object_lock_configuration(
            Bucket=settings().audit_checkpoint_bucket)["ObjectLockConfiguration"]["Rule"]["DefaultRetention"].items()
            if value},
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
    feeds = []
    for subscription in synthesized.resources("AWS::SNS::Subscription"):
        queue = synthesized.resolve(subscription.stack, subscription.properties["Endpoint"])
        feeds.append({"protocol": subscription.properties["Protocol"],
                      "raw": subscription.properties.get("RawMessageDelivery", False),
                      "visibility_timeout": queue.properties["VisibilityTimeout"],
                      "max_receive_count": queue.properties["RedrivePolicy"]["maxReceiveCount"]})
    schedules = {}
    for schedule in synthesized.resources("AWS::Scheduler::Schedule"):
        job = synthesized.resolve(schedule.stack, schedule.properties["Target"]["Arn"])
        schedules[job.properties["Environment"]["Variables"]["ATRIUM_JOB"]] = schedule.properties["ScheduleExpression"]
    return {
        "table": _table_shape(props["KeySchema"], props["AttributeDefinitions"], props["GlobalSecondaryIndexes"],
                              props["TimeToLiveSpecification"]["AttributeName"],
                              props["StreamSpecification"]["StreamViewType"]),
        "consumers": consumers,
        "feeds": sorted(feeds, key=json.dumps),
        "schedules": schedules,
        "checkpoint_lock": next(bucket.properties["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
                                for bucket in synthesized.resources("AWS::S3::Bucket")
                                if "ObjectLockConfiguration" in bucket.properties),
    }


def test_local_stack_and_template_agree(aws: Provisioned, synthesized: Any) -> None:
    local, deployed = _local(aws), _deployed(synthesized)
    assert local["consumers"], "no consumer was provisioned locally: nothing compared"
    assert len(local["feeds"]) == len(manifest.feeds()), "a feed has no subscription locally"
    assert local == deployed
