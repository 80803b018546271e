"""Killing the local worker mid-work and starting a fresh one loses and duplicates nothing.

The kill is ``ProcessKilled`` (a BaseException) raised at an AWS call: no ``except Exception``,
idempotency cleanup or acknowledgement runs after it, as if the process had died there. A fresh
``Worker`` has no stream position, so it re-reads the stream from TRIM_HORIZON and publishes
every event again; consumers dedupe on the event id. Messages the killed worker had received
come back after the queue's visibility timeout, when the claims it held have expired (AWS keeps
the visibility timeout above the function timeout, which bounds a claim; here 1 s and 1 s).
"""

import time
from dataclasses import replace

import boto3
import pytest

from atrium.kernel.config import settings
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.faults.injector import KILL, FaultInjector, ProcessKilled
from tests.faults.world import queue_depth, sign_up, welcome_emails

SECONDS = 1


@pytest.fixture
def world(aws: Provisioned) -> Provisioned:
    """The provisioned world with a 1 s consumer timeout and a 1 s queue visibility timeout."""
    queues = aws.consumers[0]
    boto3.client("sqs", region_name=settings().region).set_queue_attributes(
        QueueUrl=queues.queue_url, Attributes={"VisibilityTimeout": str(SECONDS)})
    return replace(aws, consumers=[replace(queues, spec=replace(queues.spec, timeout_seconds=SECONDS))])


def kill_then_restart(world: Provisioned) -> None:
    with pytest.raises(ProcessKilled):
        Worker(world, retry_delay_seconds=0).drain()
    time.sleep(SECONDS + 0.2)  # the killed worker's messages become visible again
    Worker(world, retry_delay_seconds=0).drain()
    assert (queue_depth(world.consumers[0].queue_url), queue_depth(world.consumers[0].dlq_url)) == (0, 0)


def test_killed_after_publishing_part_of_the_stream(world: Provisioned, faults: FaultInjector) -> None:
    """The first PutEvents went out, then the worker died before moving on. Each signup's stream records
    are its audit entry, which wakes the audit chainer, then its event: the call carried 10 entries, the
    first five tenants' wake-ups and welcome events."""
    emails = sign_up(12)
    faults.fail("events", "PutEvents", KILL, attempts={1}, response_lost=True)
    kill_then_restart(world)
    assert faults.attempts["sqs.DeleteMessage"] == 5 + 12  # every event republished, each consumed
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_killed_in_a_handler_mid_batch(world: Provisioned, faults: FaultInjector) -> None:
    """One batch of three: the first email sent and recorded, the second event claimed but its
    email not sent, the third untouched, nothing acknowledged."""
    emails = sign_up(3)
    faults.fail("sesv2", "SendEmail", KILL, attempts={2})
    kill_then_restart(world)
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_killed_while_acknowledging_the_batch(world: Provisioned, faults: FaultInjector) -> None:
    emails = sign_up(3)
    faults.fail("sqs", "DeleteMessage", KILL, attempts={2})
    kill_then_restart(world)
    assert faults.attempts["sesv2.SendEmail"] == 3
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_killed_between_an_email_and_its_record_sends_it_again(world: Provisioned, faults: FaultInjector) -> None:
    """The one window that repeats an effect: SES accepted the email and the process died before
    the event was recorded as processed. The claim expires and the redelivered event sends the email
    again. It is the same at-least-once boundary as a lost SES answer (see test_consumer.py): no
    record in our table can be written atomically with a call to another service."""
    emails = sign_up(3)
    faults.fail("sesv2", "SendEmail", KILL, attempts={2}, response_lost=True)
    kill_then_restart(world)
    assert sorted(welcome_emails().values()) == [1, 1, 2]
    assert set(welcome_emails()) == set(emails)
