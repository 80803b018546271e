"""Metered usage reaches Stripe's meters once per unit, whatever fails: Stripe's answers lost on every attempt, a
call failing midway through a run's events, the process killed before the run recorded what it sent, the record's
answer lost, and the task delivered again. The run decides its events (with their identifiers) and saves them
before sending; a later run sends the same ones, and Stripe refuses those it has by their identifier."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from atrium import manifest
from atrium.billing.metering import watermarks
from atrium.billing.metering.meters import Meter
from atrium.billing.metering.reporting import REPORT_TASK
from atrium.kernel import clock
from atrium.kernel.runtime.consumer import consumer_handler
from atrium.kernel.tenancy import tenant_scope
from atrium_local.lambda_context import LocalContext
from atrium_local.provision import Provisioned
from atrium_local.stripe_fake.server import StripeFakeServer
from tests.faults.injector import KILL, READ_TIMEOUT, FaultInjector, ProcessKilled
from tests.support.metering import at_stripe, billed_tenant, count, events_of, stripe_retries_at_once

TODAY = datetime(2026, 3, 14, tzinfo=UTC)
YESTERDAY = TODAY - timedelta(days=1)
METER_EVENTS = "/v1/billing/meter_events"
SDK_ATTEMPTS = 3  # the client's call and its two retries


def _deliver(tenant_id: str) -> dict[str, object]:
    """The tenant's report task, as its queue delivers it to the consumer's handler."""
    records = [{"messageId": "m0", "receiptHandle": "r0", "attributes": {"ApproximateReceiveCount": "1"},
                "body": json.dumps({"tenant_id": tenant_id}), "messageAttributes": {}, "md5OfBody": "",
                "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:local", "awsRegion": "x"}]
    handler = consumer_handler(manifest.consumer(REPORT_TASK))
    result: dict[str, object] = handler({"Records": records}, LocalContext(REPORT_TASK))  # type: ignore[arg-type]
    return result


FAILED = {"batchItemFailures": [{"itemIdentifier": "m0"}]}
DONE: dict[str, object] = {"batchItemFailures": []}


def _pending(tenant_id: str) -> int:
    with tenant_scope(tenant_id):
        mark = watermarks.load(tenant_id, Meter.PROOFS)
    return sum(int(report.value) for report in mark.pending) if mark else 0


@pytest.fixture
def billed(aws: Provisioned, stripe_fake: StripeFakeServer,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A tenant billed since yesterday, which created 2 proofs yesterday and 3 today; the clock at today's noon."""
    stripe_retries_at_once(monkeypatch)
    with clock.frozen(YESTERDAY + timedelta(hours=9)) as advance:
        tenant = billed_tenant(stripe_fake)
        count(tenant[0], YESTERDAY + timedelta(hours=10), 2)
        count(tenant[0], TODAY + timedelta(hours=8), 3)
        advance(27 * 3600)
        yield tenant


def _assert_stripe_has_each_proof_once(stripe_fake: StripeFakeServer, tenant_id: str, customer_id: str) -> None:
    assert (at_stripe(stripe_fake, customer_id, YESTERDAY), at_stripe(stripe_fake, customer_id, TODAY)) == (2, 3)
    assert events_of(stripe_fake, customer_id) == [f"{tenant_id}:proofs:2026-03-13:2",
                                                   f"{tenant_id}:proofs:2026-03-14:3"]
    assert _pending(tenant_id) == 0


def test_answers_lost_on_every_attempt_are_sent_again_and_counted_once(
        billed: tuple[str, str], stripe_fake: StripeFakeServer) -> None:
    tenant_id, customer_id = billed
    with stripe_fake.fake.failing("POST", METER_EVENTS, times=SDK_ATTEMPTS, answer_lost=True) as lost:
        assert _deliver(tenant_id) == FAILED
    assert lost.dropped == SDK_ATTEMPTS and _pending(tenant_id) == 5  # Stripe has yesterday's; the run cannot know
    assert _deliver(tenant_id) == DONE  # redelivered: yesterday's refused as recorded, today's sent
    _assert_stripe_has_each_proof_once(stripe_fake, tenant_id, customer_id)
    assert _deliver(tenant_id) == DONE and len(events_of(stripe_fake, customer_id)) == 2  # nothing left to send


def test_a_call_failing_midway_leaves_the_rest_to_the_next_run(billed: tuple[str, str],
                                                               stripe_fake: StripeFakeServer) -> None:
    tenant_id, customer_id = billed
    with stripe_fake.fake.failing("POST", METER_EVENTS, skip=1, times=SDK_ATTEMPTS) as refused:
        assert _deliver(tenant_id) == FAILED
    assert refused.dropped == SDK_ATTEMPTS and events_of(stripe_fake, customer_id) == [
        f"{tenant_id}:proofs:2026-03-13:2"]
    count(tenant_id, TODAY + timedelta(hours=9))  # counted meanwhile: the pending events go first, unchanged
    assert _deliver(tenant_id) == DONE
    _assert_stripe_has_each_proof_once(stripe_fake, tenant_id, customer_id)
    assert _deliver(tenant_id) == DONE  # the next run sends what was counted since
    assert at_stripe(stripe_fake, customer_id, TODAY) == 4
    assert events_of(stripe_fake, customer_id)[-1] == f"{tenant_id}:proofs:2026-03-14:4"


@pytest.mark.parametrize("lost_answer", [False, True], ids=["killed before recording", "record's answer lost"])
def test_a_run_that_sent_everything_but_did_not_record_it_sends_nothing_twice(
        billed: tuple[str, str], stripe_fake: StripeFakeServer, faults: FaultInjector, lost_answer: bool) -> None:
    """The watermark is written twice a run: the events decided (PutItem 1), then sent (PutItem 2)."""
    tenant_id, customer_id = billed
    if lost_answer:  # the record is written, botocore sends it again, which the version refuses
        faults.fail("dynamodb", "PutItem", READ_TIMEOUT, attempts={2}, response_lost=True)
        assert _deliver(tenant_id) == FAILED
    else:
        faults.fail("dynamodb", "PutItem", KILL, attempts={2})
        with pytest.raises(ProcessKilled):
            _deliver(tenant_id)
    assert len(events_of(stripe_fake, customer_id)) == 2
    assert _deliver(tenant_id) == DONE  # the task delivered again
    _assert_stripe_has_each_proof_once(stripe_fake, tenant_id, customer_id)
