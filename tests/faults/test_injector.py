"""The injector fails calls the way AWS does, so botocore and PynamoDB react as they would in AWS."""

import json
from contextlib import suppress

import boto3
import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError
from mypy_boto3_events.type_defs import PutEventsRequestEntryTypeDef
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from atrium.identity.models import TenantItem
from atrium.kernel.config import settings
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned
from tests.faults.injector import (
    CONNECT_TIMEOUT,
    INTERNAL_ERROR,
    READ_TIMEOUT,
    THROTTLING,
    FaultInjector,
    TransactionConflict,
)
from tests.faults.world import items, queue_depth

# boto3's standard retry mode: one call makes at most three attempts.
SDK_ATTEMPTS = 3


def test_a_transaction_conflict_reaches_pynamodb_with_its_cancellation_reasons(faults: FaultInjector) -> None:
    faults.fail("dynamodb", "TransactWriteItems", TransactionConflict(item=1), attempts={1})
    with (tenant_scope("ten_a"), pytest.raises(TransactWriteError) as raised,  # noqa: PT012 (commits on exit)
          TransactWrite(connection=Item._get_connection().connection) as tx):
        for name in ("A", "B"):
            tx.save(TenantItem(tenant_id="ten_a", id=f"ten_{name}", name=name))
    assert raised.value.cause_response_code == "TransactionCanceledException"
    assert [reason and reason.code for reason in raised.value.cancellation_reasons] == [None, "TransactionConflict"]
    assert faults.attempts["dynamodb.TransactWriteItems"] == 1  # not retried by botocore, as in AWS
    assert items()["Tenant"] == 0


def test_sdk_retries_absorb_a_throttle_and_a_timeout(faults: FaultInjector) -> None:
    faults.fail("events", "ListEventBuses", THROTTLING, attempts={1})
    faults.fail("events", "ListEventBuses", READ_TIMEOUT, attempts={2})
    boto3.client("events", region_name=settings().region).list_event_buses()
    assert faults.attempts["events.ListEventBuses"] == 3
    assert len(faults.backoffs) == 2  # recorded, not slept


def test_an_error_past_the_sdk_retries_reaches_the_caller(faults: FaultInjector) -> None:
    faults.fail("events", "ListEventBuses", INTERNAL_ERROR, attempts=range(1, SDK_ATTEMPTS + 1))
    with pytest.raises(ClientError) as raised:
        boto3.client("events", region_name=settings().region).list_event_buses()
    assert raised.value.response["Error"]["Code"] == "InternalServerError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert faults.attempts["events.ListEventBuses"] == SDK_ATTEMPTS


def test_a_lost_request_never_reaches_the_service(aws: Provisioned, faults: FaultInjector) -> None:
    faults.fail("sqs", "SendMessage", CONNECT_TIMEOUT, attempts=range(1, SDK_ATTEMPTS + 1))
    with pytest.raises(ConnectTimeoutError):
        boto3.client("sqs", region_name=settings().region).send_message(
            QueueUrl=aws.consumers[0].queue_url, MessageBody="{}")
    assert queue_depth(aws.consumers[0].queue_url) == 0


def test_a_lost_response_means_the_service_did_the_work(aws: Provisioned, faults: FaultInjector) -> None:
    """The SDK retries a call whose answer was lost: a non-idempotent call takes effect twice."""
    faults.fail("sqs", "SendMessage", READ_TIMEOUT, attempts={1}, response_lost=True)
    boto3.client("sqs", region_name=settings().region).send_message(QueueUrl=aws.consumers[0].queue_url,
                                                                    MessageBody="{}")
    assert queue_depth(aws.consumers[0].queue_url) == 2


def test_rejected_entries_are_reported_and_not_published(aws: Provisioned, faults: FaultInjector) -> None:
    faults.reject_entries({1}, code="ThrottlingException")
    entries: list[PutEventsRequestEntryTypeDef] = [
        {"Source": "atrium", "DetailType": "tenant.created", "Detail": json.dumps({"n": n}),
         "EventBusName": settings().bus_name} for n in range(3)]
    response = boto3.client("events", region_name=settings().region).put_events(Entries=entries)
    assert response["FailedEntryCount"] == 1
    assert ["ErrorCode" in entry for entry in response["Entries"]] == [False, True, False]
    assert response["Entries"][1]["ErrorCode"] == "ThrottlingException"
    assert queue_depth(aws.consumers[0].queue_url) == 2


def test_a_seeded_fraction_fails_the_same_attempts_every_run(aws: Provisioned) -> None:
    def failing_attempts(seed: int) -> list[int]:
        injector = FaultInjector(seed=seed)
        with injector.installed():
            injector.fail("events", "ListEventBuses", THROTTLING, rate=0.3)
            client = boto3.client("events", region_name=settings().region)
            for _ in range(20):
                with suppress(ClientError):  # three failures in a row exhaust the SDK's retries
                    client.list_event_buses()
        return [injection.number for injection in injector.injected]

    assert failing_attempts(1) == failing_attempts(1) != failing_attempts(2)
