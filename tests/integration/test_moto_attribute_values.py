"""moto's DynamoDB answers written straight to the wire (``atrium_local.attribute_values``): the same bytes as
moto's own serializer, and every kind of attribute value reads back as written, through every kind of read."""

from typing import Any

import boto3
from moto.core.serialize import XFormedAttributePicker, get_serializer_class
from moto.core.utils import get_service_model

from atrium.kernel.config import settings
from atrium_local.attribute_values import fast_attribute_values
from atrium_local.provision import Provisioned

ITEM: dict[str, Any] = {
    "pk": {"S": "G#Probe#every-type"}, "sk": {"S": "#"},
    "text": {"S": "é ✓"}, "empty": {"S": ""}, "number": {"N": "-12.50"}, "bytes": {"B": b"\x00\xffraw"},
    "texts": {"SS": ["a", "b"]}, "numbers": {"NS": ["1", "2.5"]}, "blobs": {"BS": [b"\x01", b"\x02"]},
    "yes": {"BOOL": True}, "no": {"BOOL": False}, "nothing": {"NULL": True},
    "nested": {"M": {"list": {"L": [{"S": "x"}, {"N": "3"}, {"B": b"\x07"}, {"M": {"deep": {"BOOL": False}}}]},
                     "bytes": {"B": b"\x10"}}},
}


def _body(operation: str, result: dict[str, Any]) -> Any:
    model = get_service_model("dynamodb").operation_model(operation)
    serializer = get_serializer_class("dynamodb", "json")(operation_model=model, value_picker=XFormedAttributePicker())
    return serializer.serialize(result)["body"]


def test_the_fast_answer_is_moto_serializers_byte_for_byte() -> None:
    # moto's results hold the item as its wire-format dict with binary values as bytes (its ``dynamo_to_dict``).
    result = {"Items": [ITEM, {"pk": {"S": "other"}}], "Count": 2, "ScannedCount": 2,
              "LastEvaluatedKey": {"pk": {"S": "other"}, "sk": {"B": b"k"}}}
    slow = _body("Query", result)
    with fast_attribute_values():
        assert _body("Query", result) == slow
    assert _body("Query", result) == slow  # put back as it was


def _stream_images(table: str) -> list[dict[str, Any]]:
    streams = boto3.client("dynamodbstreams", region_name=settings().region)
    arn = boto3.client("dynamodb", region_name=settings().region).describe_table(TableName=table)["Table"][
        "LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return [record["dynamodb"]["NewImage"] for record in records if "NewImage" in record["dynamodb"]]


def test_every_kind_of_value_reads_back_as_written(aws: Provisioned) -> None:
    dynamodb, table = boto3.client("dynamodb", region_name=settings().region), settings().table_name
    key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
    dynamodb.put_item(TableName=table, Item=ITEM)
    reads = {
        "GetItem": dynamodb.get_item(TableName=table, Key=key)["Item"],
        "Query": dynamodb.query(TableName=table, KeyConditionExpression="pk = :pk",
                                ExpressionAttributeValues={":pk": ITEM["pk"]})["Items"][0],
        "Scan": dynamodb.scan(TableName=table)["Items"][0],
        "BatchGetItem": dynamodb.batch_get_item(RequestItems={table: {"Keys": [key]}})["Responses"][table][0],
        "TransactGetItems": dynamodb.transact_get_items(
            TransactItems=[{"Get": {"TableName": table, "Key": key}}])["Responses"][0]["Item"],
        "UpdateItem": dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET #t = :t",
                                           ExpressionAttributeNames={"#t": "text"},
                                           ExpressionAttributeValues={":t": ITEM["text"]},
                                           ReturnValues="ALL_NEW")["Attributes"],
        "GetRecords": _stream_images(table)[0],
    }
    assert {operation: read for operation, read in reads.items() if read != ITEM} == {}
