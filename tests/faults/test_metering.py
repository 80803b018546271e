"""Metering counts each event exactly once, whatever the delivery does: the same event delivered twice, a
transaction whose answer was lost (botocore sends it again), and a batch redelivered after the process died
between counting an event and recording it as processed (the claim expired, as after the function's timeout).
The counting transaction holds a guard named after the event id, so the count never depends on the runtime's
records of processed events."""

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from atrium import manifest
from atrium.billing.metering import counters
from atrium.billing.metering.counters import Granularity
from atrium.billing.metering.meters import Meter
from atrium.kernel import ids
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.runtime.consumer import consumer_handler
from atrium.kernel.tenancy import tenant_scope
from atrium_local.lambda_context import LocalContext
from atrium_local.provision import Provisioned
from tests.faults.injector import KILL, READ_TIMEOUT, FaultInjector, ProcessKilled

CONSUMER = "billing.count_usage"
AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
TENANT = ids.new_id("ten")


def _event(event_type: str, **data: object) -> Envelope:
    return Envelope(id=ids.new_id("evt"), type=event_type, tenant_id=TENANT, occurred_at=AT,
                    actor=Ref(type="user", id=ids.new_id("usr")), subject=Ref(type="proof", id=ids.new_id("prf")),
                    data=data)


def _deliver(events: list[Envelope], consumer: str = CONSUMER) -> dict[str, object]:
    """One SQS batch of ``events`` to the consumer's handler, as the queue delivers it."""
    records = [{"messageId": f"m{i}", "receiptHandle": f"r{i}", "attributes": {"ApproximateReceiveCount": "1"},
                "body": json.dumps({"detail": event.model_dump(mode="json")}), "messageAttributes": {},
                "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:local", "awsRegion": "x"}
               for i, event in enumerate(events)]
    handler = consumer_handler(manifest.consumer(consumer))
    result: dict[str, object] = handler({"Records": records}, LocalContext(consumer))  # type: ignore[arg-type]
    return result


def _forget_processed() -> None:
    """Delete the runtime's records of processed events (as their in-progress claims expire)."""
    dynamodb = boto3.client("dynamodb", region_name=settings().region)
    found = dynamodb.query(TableName=settings().table_name, KeyConditionExpression="pk = :pk",
                           ExpressionAttributeValues={":pk": {"S": f"G#Processed#{CONSUMER}"}})["Items"]
    for item in found:
        dynamodb.delete_item(TableName=settings().table_name, Key={"pk": item["pk"], "sk": item["sk"]})


def _counted() -> tuple[dict[str, int], int]:
    """The day's proofs counted, and the bytes stored in all."""
    with tenant_scope(TENANT):
        return (counters.series(TENANT, Meter.PROOFS, Granularity.DAY, AT, AT + timedelta(days=1)),
                counters.running_total(TENANT, Meter.STORAGE_BYTES))


@pytest.fixture
def events(aws: Provisioned) -> list[Envelope]:
    return [_event("proof.created"), _event("proof.version_added", size=1000), _event("proof.created"),
            _event("proof.deleted", stored_bytes=400)]


def test_an_event_delivered_twice_is_counted_once(events: list[Envelope]) -> None:
    assert _deliver(events) == {"batchItemFailures": []}
    _forget_processed()  # past the runtime's records: the guard alone
    assert _deliver([*events, events[0], events[3]]) == {"batchItemFailures": []}
    assert _counted() == ({"D#2026-03-14": 2}, 600)


def test_a_transaction_whose_answer_was_lost_is_counted_once(events: list[Envelope],
                                                             faults: FaultInjector) -> None:
    """DynamoDB committed the second event's count, its answer was lost, botocore sent it again: the guard fails
    the second attempt, which the consumer takes as counted."""
    faults.fail("dynamodb", "TransactWriteItems", READ_TIMEOUT, attempts={2}, response_lost=True)
    assert _deliver(events) == {"batchItemFailures": []}
    assert faults.attempts["dynamodb.TransactWriteItems"] == 5
    assert _counted() == ({"D#2026-03-14": 2}, 600)


def test_a_batch_redelivered_after_the_process_died_mid_count_is_counted_once(events: list[Envelope],
                                                                              faults: FaultInjector) -> None:
    """The second event's count committed and the process died before the runtime recorded it; the batch comes
    back once the claims expire."""
    faults.fail("dynamodb", "TransactWriteItems", KILL, attempts={2}, response_lost=True)
    with pytest.raises(ProcessKilled):
        _deliver(events)
    _forget_processed()
    assert _deliver(events) == {"batchItemFailures": []}
    assert _counted() == ({"D#2026-03-14": 2}, 600)

