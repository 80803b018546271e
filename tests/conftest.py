"""Shared fixtures. AWS is moto (in-process); nothing reaches the network."""

import os

# Before anything creates a boto3 client or reads settings.
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING",
})
os.environ.pop("AWS_ENDPOINT_URL", None)

from collections.abc import Iterator

import pytest
from aws_lambda_powertools.utilities import parameters
from moto import mock_aws

from atrium.audit import checkpoints
from atrium.identity.access_state import forget_cached_access
from atrium.kernel import files, tasks
from atrium.kernel.events import relay
from atrium.local.atomic_writes import atomic_dynamodb_writes
from atrium.local.provision import Provisioned, provision
from atrium.mail import service as mail_service


def _clear_process_caches() -> None:
    """Clients and secrets cached per process must not outlive one moto world."""
    parameters.clear_caches()  # type: ignore[no-untyped-call]
    mail_service._client.cache_clear()
    relay._events_client.cache_clear()
    checkpoints._s3.cache_clear()
    files._s3.cache_clear()
    tasks.forget_clients()
    forget_cached_access()


@pytest.fixture
def aws() -> Iterator[Provisioned]:
    """A fresh moto world with every declared resource provisioned, whose writes are atomic as DynamoDB's
    (see ``atrium.local.atomic_writes``), so tests may race writers in threads."""
    _clear_process_caches()
    with mock_aws(), atomic_dynamodb_writes():
        yield provision()
    _clear_process_caches()


@pytest.fixture
def sqs_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's SQS keeps delays and visibility timeouts on the clock the code reads (``kernel.clock``), so a test
    that moves the clock sees delayed messages arrive, as the local worker fires schedules on that clock."""
    from moto.sqs import models as sqs_models

    from atrium.kernel import clock

    monkeypatch.setattr(sqs_models, "unix_time_millis", lambda *_: clock.now().timestamp() * 1000)
    monkeypatch.setattr(sqs_models, "unix_time", lambda *_: clock.now().timestamp())
