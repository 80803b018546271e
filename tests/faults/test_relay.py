"""The relay under PutEvents faults: every outbox event reaches the consumer's queue (some more
than once), and each owner still gets exactly one welcome email."""

import pytest

from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.faults.injector import INTERNAL_ERROR, READ_TIMEOUT, FaultInjector
from tests.faults.world import queue_depth, sign_up, welcome_emails

PUT_EVENTS = ("events", "PutEvents")
# boto3's standard retry mode: one call makes at most three attempts.
SDK_ATTEMPTS = 3


def relay_all(worker: Worker) -> None:
    """Run the relay until the stream has nothing new (a failed batch is re-read next time)."""
    while worker.relay_stream():
        pass


def test_a_put_events_failing_past_sdk_retries_is_retried_from_the_stream(aws: Provisioned,
                                                                          faults: FaultInjector) -> None:
    emails = sign_up(3)
    faults.fail(*PUT_EVENTS, INTERNAL_ERROR, attempts=range(1, SDK_ATTEMPTS + 1))
    worker = Worker(aws, retry_delay_seconds=0)
    relay_all(worker)
    assert faults.attempts["events.PutEvents"] == SDK_ATTEMPTS + 1
    assert queue_depth(aws.consumers[0].queue_url) == 3  # the requests were lost: nothing published twice
    worker.drain()
    assert welcome_emails() == dict.fromkeys(emails, 1)


@pytest.mark.parametrize(("lost", "copies"), [
    (range(1, 2), 2),  # botocore's retry publishes the batch again
    (range(1, SDK_ATTEMPTS + 1), SDK_ATTEMPTS + 1),  # then the relay fails the batch and the stream is re-read
], ids=["absorbed-by-sdk", "past-sdk-retries"])
def test_a_put_events_whose_answer_is_lost_publishes_again_and_sends_once(aws: Provisioned, faults: FaultInjector,
                                                                         lost: range, copies: int) -> None:
    emails = sign_up(3)
    faults.fail(*PUT_EVENTS, READ_TIMEOUT, attempts=lost, response_lost=True)
    worker = Worker(aws, retry_delay_seconds=0)
    relay_all(worker)
    assert queue_depth(aws.consumers[0].queue_url) == 3 * copies
    worker.drain()
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_rejected_entries_are_retried_and_their_neighbours_published_twice(aws: Provisioned,
                                                                          faults: FaultInjector) -> None:
    """12 signups make 24 entries, each tenant's audit wake-up then its event; PutEvents takes 10 at a
    time. Entry 3 of the first call (tenant 2's event) fails, so the relay reports its record; the stream
    is re-read from there (21 entries, three calls) and the events of tenants 3-5 go out a second time."""
    emails = sign_up(12)
    faults.reject_entries({3})
    worker = Worker(aws, retry_delay_seconds=0)
    relay_all(worker)
    assert faults.attempts["events.PutEvents"] == 1 + 3
    assert queue_depth(aws.consumers[0].queue_url) == 4 + 11
    worker.drain()
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_a_storm_of_put_events_faults_loses_and_duplicates_nothing(aws: Provisioned, faults: FaultInjector) -> None:
    emails = sign_up(12)
    faults.fail(*PUT_EVENTS, INTERNAL_ERROR, rate=0.3)
    faults.fail(*PUT_EVENTS, READ_TIMEOUT, rate=0.3, response_lost=True)
    faults.reject_entries({0, 7}, calls={2, 3})
    Worker(aws, retry_delay_seconds=0).drain(timeout=60)  # many passes: half the calls fail
    assert len(faults.injected) > SDK_ATTEMPTS
    assert welcome_emails() == dict.fromkeys(emails, 1)
