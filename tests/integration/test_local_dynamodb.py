"""moto's DynamoDB as the local stack, the benchmarks and the tests run it (``atrium_local.atomic_writes``)."""

import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from atrium.kernel.config import settings
from atrium_local.provision import Provisioned


def _put(key: str, condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": settings().table_name,
                           "Item": {"pk": {"S": f"T#ten_local#Probe#{key}"}, "sk": {"S": "#"}}}
    return {"Put": put | ({"ConditionExpression": condition} if condition else {})}


def _client() -> Any:  # untyped: the test writes raw items
    return boto3.client("dynamodb", region_name=settings().region)


def _exists(key: str) -> bool:
    client = _client()
    item = client.get_item(TableName=settings().table_name,
                           Key={"pk": {"S": f"T#ten_local#Probe#{key}"}, "sk": {"S": "#"}}, ConsistentRead=True)
    return "Item" in item


def test_a_transaction_copies_no_table(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto backs the whole table up before each transaction; the local stack checks first and copies nothing,
    so a transaction costs the same on an empty table and on a full one."""
    tables_copied: list[Table] = []
    original = copy.deepcopy

    def counting(value: Any, *args: Any) -> Any:
        if isinstance(value, Table):
            tables_copied.append(value)
        return original(value, *args)

    monkeypatch.setattr(copy, "deepcopy", counting)
    client = _client()
    client.transact_write_items(TransactItems=[_put(f"once-{number}") for number in range(10)])
    assert tables_copied == []
    assert all(_exists(f"once-{number}") for number in range(10))


def _stream() -> Any:
    return dynamodb_backends[DEFAULT_ACCOUNT_ID][settings().region].get_table(settings().table_name).stream_shard


def test_a_failed_transaction_still_rolls_back_every_item_and_its_stream_records(aws: Provisioned) -> None:
    client = _client()
    client.transact_write_items(TransactItems=[_put("taken")])
    stream, records = _stream(), len(_stream().items)
    items = [_put(f"rolled-{number}") for number in range(5)] + [_put("taken", "attribute_not_exists(pk)")]
    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(TransactItems=items)
    assert not any(_exists(f"rolled-{number}") for number in range(5))
    # The table and its stream are the live ones (nothing was copied), with no record of the cancelled writes.
    assert _stream() is stream and len(stream.items) == records
    client.transact_write_items(TransactItems=[_put("after")])
    assert len(stream.items) == records + 1 and stream.table is dynamodb_backends[DEFAULT_ACCOUNT_ID][
        settings().region].get_table(settings().table_name)


def test_a_write_failing_midway_undoes_the_writes_before_it_and_their_stream_records(aws: Provisioned) -> None:
    client = _client()
    client.put_item(**_put("named")["Put"] | {"Item": {"pk": {"S": "T#ten_local#Probe#named"}, "sk": {"S": "#"},
                                                        "name": {"S": "a string"}}})
    stream, records = _stream(), len(_stream().items)
    add_to_a_string = {"Update": {
        "TableName": settings().table_name, "Key": {"pk": {"S": "T#ten_local#Probe#named"}, "sk": {"S": "#"}},
        "UpdateExpression": "SET #n = #n + :one", "ExpressionAttributeNames": {"#n": "name"},
        "ExpressionAttributeValues": {":one": {"N": "1"}}}}
    with pytest.raises(ClientError):
        client.transact_write_items(TransactItems=[_put("undone-1"), _put("undone-2"), add_to_a_string])
    assert not _exists("undone-1") and not _exists("undone-2")
    named = client.get_item(TableName=settings().table_name,
                            Key={"pk": {"S": "T#ten_local#Probe#named"}, "sk": {"S": "#"}})["Item"]
    assert named["name"] == {"S": "a string"}
    assert len(stream.items) == records


def test_transactions_racing_plain_writes_from_threads_all_land(aws: Provisioned) -> None:
    client = _client()

    def write(number: int) -> None:
        if number % 2:
            client.transact_write_items(TransactItems=[_put(f"race-{number}-{part}") for part in range(5)])
        else:
            client.put_item(**_put(f"race-{number}-0")["Put"])

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(40)))
    assert all(_exists(f"race-{number}-0") for number in range(40))


def test_reads_racing_transactions_see_whole_transactions(aws: Provisioned) -> None:
    """moto's table is a defaultdict, so reading a missing key writes to it: reads racing a transaction broke it
    ("dictionary changed size during iteration") until reads were serialized too."""
    client = _client()
    for number in range(300):  # a table big enough for a backup to take a while
        client.put_item(**_put(f"bulk-{number}")["Put"])

    def work(number: int) -> None:
        if number % 2:
            client.transact_write_items(TransactItems=[_put(f"whole-{number}-{part}") for part in range(10)])
        else:
            for attempt in range(20):
                assert not _exists(f"missing-{number}-{attempt}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(40)))
    assert all(_exists(f"whole-{number}-9") for number in range(1, 40, 2))
