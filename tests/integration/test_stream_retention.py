"""A kept local stack's streams hold what DynamoDB's would: 24 hours of records, with their sequence numbers."""

from datetime import timedelta
from typing import Any

import boto3
from moto.backends import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import utcnow

from atrium.kernel.config import settings
from atrium_local.provision import Provisioned
from atrium_local.stream_retention import RETENTION, trim_streams


def _numbers() -> list[str]:
    streams = boto3.client("dynamodbstreams", region_name=settings().region)
    arn = boto3.client("dynamodb", region_name=settings().region).describe_table(
        TableName=settings().table_name)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    return [record["dynamodb"]["SequenceNumber"] for record in
            streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]]


def _put(name: str) -> None:
    boto3.client("dynamodb", region_name=settings().region).put_item(
        TableName=settings().table_name, Item={"pk": {"S": f"G#Probe#{name}"}, "sk": {"S": "#"}})


def _age_every_record(by: timedelta) -> None:
    table: Any = get_backend("dynamodb")[DEFAULT_ACCOUNT_ID][settings().region].tables[settings().table_name]
    for record in table.stream_shard.items:
        record.record["dynamodb"]["ApproximateCreationDateTime"] -= by


def test_records_older_than_dynamodbs_retention_are_dropped_and_the_rest_keep_their_numbers(aws: Provisioned) -> None:
    _put("old")
    assert trim_streams() == 0  # nothing is a day old yet
    _age_every_record(RETENTION + timedelta(minutes=1))
    _put("recent")
    recent = _numbers()[-1]

    assert trim_streams(now=utcnow()) >= 1

    assert _numbers() == [recent]
    _put("next")
    assert _numbers() == [recent, str(int(recent) + 1)]
