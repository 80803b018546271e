"""A delivery attempt whose record's answer is lost: the attempt still counts once, and is not sent again."""

from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import signup
from tests.faults.injector import READ_TIMEOUT, FaultInjector
from tests.support.webhook_receiver import Receiver


def _queued_test_send(client: TestClient, receiver: Receiver) -> None:
    tenant = signup(client)
    created = client.post("/v1/webhook-endpoints", json={"url": receiver.url, "event_types": ["member.joined"]},
                          headers=tenant.auth)
    assert created.status_code == 201, created.text
    sent = client.post(f"/v1/webhook-endpoints/{created.json()['id']}/test", json={}, headers=tenant.auth)
    assert sent.status_code == 202, sent.text


def _of(entity: str) -> list[dict[str, Any]]:
    scan = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    return [item for item in scan if item.get("entity", {}).get("S") == entity]


def test_a_lost_answer_to_the_attempt_record_is_not_a_failed_attempt(
        aws: Provisioned, client: TestClient, faults: FaultInjector, receiver: Receiver) -> None:
    _queued_test_send(client, receiver)
    task_queue = aws.consumer("webhooks.deliver")
    faults.fail("dynamodb", "TransactWriteItems", READ_TIMEOUT, attempts={1}, response_lost=True)
    worker = Worker(aws, retry_delay_seconds=0)
    assert worker.consume(task_queue) == 1
    assert worker.consume(task_queue) == 0  # acknowledged: nothing comes back to send again
    assert len(receiver.received) == 1
    (attempt,) = _of("WebhookAttempt")
    (delivery,) = _of("WebhookDelivery")
    assert attempt["succeeded"]["BOOL"] is True and delivery["status"]["S"] == "succeeded"
    assert [i.call for i in faults.injected] == ["dynamodb.TransactWriteItems"]
