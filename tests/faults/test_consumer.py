"""A consumer batch with a fault in its middle: three ``tenant.created`` events in one SQS batch,
the second one's processing fails. The failed message is retried alone, nothing reaches the DLQ,
and each owner gets exactly one welcome email (except where the provider boundary makes that
impossible, shown below)."""

from atrium.identity.account.reset_requests import request_reset
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.faults.injector import INTERNAL_ERROR, READ_TIMEOUT, TOO_MANY_REQUESTS, FaultInjector
from tests.faults.world import items, queue_depth, sign_up, welcome_emails

# boto3's standard retry mode makes at most three attempts per call, four for DynamoDB
# (Powertools' idempotency records go through boto3, not PynamoDB).
SDK_ATTEMPTS = 3
DYNAMODB_ATTEMPTS = 4


def drain(aws: Provisioned) -> None:
    Worker(aws, retry_delay_seconds=0).drain()
    assert (queue_depth(aws.consumers[0].queue_url), queue_depth(aws.consumers[0].dlq_url)) == (0, 0)


def test_a_failing_send_fails_only_its_message_which_is_retried(aws: Provisioned, faults: FaultInjector) -> None:
    emails = sign_up(3)
    faults.fail("sesv2", "SendEmail", TOO_MANY_REQUESTS, attempts=range(2, 2 + SDK_ATTEMPTS))
    drain(aws)
    assert faults.attempts["sesv2.SendEmail"] == 3 + SDK_ATTEMPTS
    assert faults.attempts["dynamodb.DeleteItem"] == 1  # the failed message's claim was released
    assert faults.attempts["sqs.ChangeMessageVisibility"] == 1  # only that message went back to the queue
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_a_failing_claim_write_fails_only_its_message_which_is_retried(aws: Provisioned,
                                                                      faults: FaultInjector) -> None:
    """Powertools claims the event id (PutItem, in progress) before the handler runs."""
    emails = sign_up(3)
    faults.fail("dynamodb", "PutItem", INTERNAL_ERROR, attempts=range(2, 2 + DYNAMODB_ATTEMPTS))
    drain(aws)
    assert faults.attempts["sqs.ChangeMessageVisibility"] == 1
    assert faults.attempts["sesv2.SendEmail"] == 3
    assert welcome_emails() == dict.fromkeys(emails, 1)
    assert items()["Processed:identity.send_welcome_email"] == 3


def test_a_failing_completion_write_after_the_email_sends_no_second_email(aws: Provisioned,
                                                                         faults: FaultInjector) -> None:
    """The email went out, then marking the event completed (UpdateItem) failed. Retrying the
    message would send the email again once the in-progress claim expires, so it is acknowledged."""
    emails = sign_up(3)
    faults.fail("dynamodb", "UpdateItem", INTERNAL_ERROR, attempts=range(2, 2 + DYNAMODB_ATTEMPTS))
    drain(aws)
    assert faults.attempts["sesv2.SendEmail"] == 3
    assert welcome_emails() == dict.fromkeys(emails, 1)


def test_a_lost_answer_from_ses_sends_a_second_email(aws: Provisioned, faults: FaultInjector) -> None:
    """At-least-once at the provider boundary, shown rather than hidden.

    SES accepted the second email, but its answer was lost (a read timeout). botocore retries
    SendEmail and SES sends it again; SES v2 has no idempotency token to dedupe on. Turning the
    SDK retry off would not help: the handler would fail, the message would be retried, and the
    email sent again. The consumer's idempotency covers redelivered events, not a provider call
    whose outcome is unknown. So this owner gets two emails, everyone else one.
    """
    emails = sign_up(3)
    faults.fail("sesv2", "SendEmail", READ_TIMEOUT, attempts={2}, response_lost=True)
    drain(aws)
    assert faults.attempts["sesv2.SendEmail"] == 4
    assert sorted(welcome_emails().values()) == [1, 1, 2]
    assert set(welcome_emails()) == set(emails)


def test_a_reset_link_whose_send_fails_is_sent_on_the_retry(aws: Provisioned, faults: FaultInjector) -> None:
    """The reset request answers before any email is sent; a failed send is retried from the queue,
    so the user gets exactly one link and nothing reaches a DLQ."""
    [email] = sign_up(1)
    drain(aws)  # the welcome email: SendEmail attempt 1
    request_reset(email, RequestInfo())
    assert faults.attempts["sesv2.SendEmail"] == 1  # the request itself sent nothing
    faults.fail("sesv2", "SendEmail", TOO_MANY_REQUESTS, attempts=range(1, 1 + SDK_ATTEMPTS))  # counts from here
    Worker(aws, retry_delay_seconds=0).drain()
    assert faults.attempts["sesv2.SendEmail"] == 2 + SDK_ATTEMPTS
    assert [mail["to"] for mail in sent_mail() if "#token=atr_pwr_" in mail["text"]] == [email]
    assert all(queue_depth(consumer.queue_url) == queue_depth(consumer.dlq_url) == 0 for consumer in aws.consumers)
