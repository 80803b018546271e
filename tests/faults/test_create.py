"""A create under faults: signup over HTTP with an ``Idempotency-Key``, retried by the client.

However the TransactWriteItems call fails, the client ends with a 201 and the table with exactly
one tenant, one ``tenant.created`` audit entry and one outbox event; the owner gets one email.
"""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.faults.injector import (
    INTERNAL_ERROR,
    READ_TIMEOUT,
    THROTTLED,
    TRANSACTION_CONFLICT,
    UNAVAILABLE,
    Fault,
    FaultInjector,
)
from tests.faults.world import PASSWORD, items, welcome_emails

TRANSACT = ("dynamodb", "TransactWriteItems")
# PynamoDB's client (Meta.max_retry_attempts = 2) makes at most three attempts per call.
TABLE_ATTEMPTS = 3
CLIENT_ATTEMPTS = 4


def _body(n: int = 0) -> dict[str, str]:
    return {"tenant_name": f"Tenant {n}", "email": f"owner{n}@example.com", "password": PASSWORD}


def post_until_created(client: TestClient, body: dict[str, str], key: str) -> list[int]:
    """A client that retries with the same key until it gets its 201; returns every status it saw."""
    statuses: list[int] = []
    while len(statuses) < CLIENT_ATTEMPTS and 201 not in statuses:
        statuses.append(client.post("/v1/signup", json=body, headers={"Idempotency-Key": key}).status_code)
    return statuses


def assert_created_once(tenants: int = 1) -> None:
    kinds = items()
    assert (kinds["Tenant"], kinds["Audit:tenant.created"], kinds["Outbox:tenant.created"]) == (tenants,) * 3


def test_sdk_retries_absorb_a_throttled_commit(client: TestClient, faults: FaultInjector) -> None:
    faults.fail(*TRANSACT, THROTTLED, attempts={1})
    assert post_until_created(client, _body(), "key-1") == [201]
    assert faults.attempts["dynamodb.TransactWriteItems"] == 2
    assert_created_once()


@pytest.mark.parametrize("fault", [READ_TIMEOUT, INTERNAL_ERROR], ids=["timeout", "500"])
def test_a_commit_whose_answer_is_lost_is_confirmed_not_repeated(client: TestClient, faults: FaultInjector,
                                                                 fault: Fault) -> None:
    """DynamoDB committed, the answer was lost, botocore sent the transaction again and it failed
    on its own first attempt's items. The unit of work finds its audit entry: the write landed."""
    faults.fail(*TRANSACT, fault, attempts={1}, response_lost=True)
    assert post_until_created(client, _body(), "key-1") == [201]
    assert faults.attempts["dynamodb.TransactWriteItems"] == 2
    assert_created_once()


def test_a_commit_whose_every_answer_is_lost_is_confirmed(client: TestClient, faults: FaultInjector) -> None:
    faults.fail(*TRANSACT, READ_TIMEOUT, attempts={1}, response_lost=True)
    faults.fail(*TRANSACT, READ_TIMEOUT, attempts=range(2, TABLE_ATTEMPTS + 1))
    assert post_until_created(client, _body(), "key-1") == [201]
    assert_created_once()


def test_a_commit_that_never_lands_is_a_503_and_the_retry_creates(client: TestClient, faults: FaultInjector) -> None:
    faults.fail(*TRANSACT, UNAVAILABLE, attempts=range(1, TABLE_ATTEMPTS + 1))
    assert post_until_created(client, _body(), "key-1") == [503, 201]
    assert_created_once()


def test_a_transaction_conflict_is_a_409_and_the_retry_creates(client: TestClient, faults: FaultInjector) -> None:
    faults.fail(*TRANSACT, TRANSACTION_CONFLICT, attempts={1})
    assert post_until_created(client, _body(), "key-1") == [409, 201]
    assert faults.attempts["dynamodb.TransactWriteItems"] == 2  # botocore does not retry a cancellation
    assert_created_once()


def test_after_the_201_the_same_key_replays_it(client: TestClient, faults: FaultInjector) -> None:
    faults.fail(*TRANSACT, READ_TIMEOUT, attempts={1}, response_lost=True)
    first = client.post("/v1/signup", json=_body(), headers={"Idempotency-Key": "key-1"})
    again = client.post("/v1/signup", json=_body(), headers={"Idempotency-Key": "key-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert_created_once()


def test_a_storm_of_faults_creates_each_tenant_once(aws: Provisioned, client: TestClient,
                                                    faults: FaultInjector) -> None:
    """A seeded mix: throttles (request lost), timeouts after the commit (response lost), conflicts."""
    faults.fail(*TRANSACT, THROTTLED, rate=0.4)
    faults.fail(*TRANSACT, READ_TIMEOUT, rate=0.3, response_lost=True)
    faults.fail(*TRANSACT, TRANSACTION_CONFLICT, rate=0.3)
    tenants = 8
    statuses = [post_until_created(client, _body(n), f"key-{n}") for n in range(tenants)]
    assert all(seen[-1] == 201 for seen in statuses), statuses
    assert any(len(seen) > 1 for seen in statuses)  # some faults outlasted the SDK's retries
    assert {fault.response_lost for fault in faults.injected} == {True, False}
    assert_created_once(tenants)
    Worker(aws, retry_delay_seconds=0).drain()
    assert welcome_emails() == {f"owner{n}@example.com": 1 for n in range(tenants)}


def test_a_lost_answer_to_the_idempotency_claim_does_not_lock_the_key(client: TestClient,
                                                                      faults: FaultInjector) -> None:
    faults.fail("dynamodb", "PutItem", READ_TIMEOUT, attempts={1}, response_lost=True)
    assert post_until_created(client, _body(), "key-1") == [201]


def test_a_claim_that_could_not_be_released_frees_the_key_after_the_in_progress_window(
        client: TestClient, faults: FaultInjector) -> None:
    # The commit fails past the SDK's retries, and so does the release of the claim.
    faults.fail(*TRANSACT, UNAVAILABLE, attempts=set(range(1, TABLE_ATTEMPTS + 1)))
    faults.fail("dynamodb", "DeleteItem", UNAVAILABLE, attempts=set(range(1, TABLE_ATTEMPTS + 1)))
    first = client.post("/v1/signup", json=_body(), headers={"Idempotency-Key": "key-1"})
    assert first.status_code == 503  # the real error, not the failed clean-up
    with clock.frozen(datetime.now(UTC)) as advance:
        assert client.post("/v1/signup", json=_body(), headers={"Idempotency-Key": "key-1"}).status_code == 409
        advance(settings().idempotency_in_progress_seconds + 1)
        retried = client.post("/v1/signup", json=_body(), headers={"Idempotency-Key": "key-1"})
    assert retried.status_code == 201
    assert_created_once(1)
