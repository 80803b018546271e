"""What the table and its stream hold, read raw (as DynamoDB JSON, protected attributes as stored): for the tests
that no personal value is readable at rest. A paginated Scan: fine in tests, never in the product."""

import json
import re
from typing import Any

import boto3

from atrium.kernel.config import settings

RawItem = dict[str, Any]
# An email address anywhere in a stored value (an address inside JSON text too).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def table_items(endpoint_url: str | None = None) -> list[RawItem]:
    """Every item of the table, of this process's AWS (moto) or the one at ``endpoint_url`` (a local stack's)."""
    client = boto3.client("dynamodb", region_name=settings().region, endpoint_url=endpoint_url)
    pages = client.get_paginator("scan").paginate(TableName=settings().table_name)
    return [item for page in pages for item in page["Items"]]


def stream_records(endpoint_url: str | None = None) -> list[RawItem]:
    """Every record the table's stream still holds (moto keeps them all), each image as written."""
    dynamodb = boto3.client("dynamodb", region_name=settings().region, endpoint_url=endpoint_url)
    streams = boto3.client("dynamodbstreams", region_name=settings().region, endpoint_url=endpoint_url)
    arn = dynamodb.describe_table(TableName=settings().table_name)["Table"]["LatestStreamArn"]
    records: list[RawItem] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator and (page := streams.get_records(ShardIterator=iterator))["Records"]:
            records += [dict(record) for record in page["Records"]]
            iterator = page.get("NextShardIterator")
    return records


def readable(values: tuple[str, ...], written: list[RawItem]) -> list[tuple[str, str]]:
    """Each of ``values`` found in plaintext in ``written``, with the start of the item holding it."""
    return [(value, text[:160]) for item in written for value in values
            if value in (text := json.dumps(item, default=str))]
