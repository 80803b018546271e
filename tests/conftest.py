"""Shared fixtures. AWS is moto (in-process); nothing reaches the network."""

import gc
import os

# Before anything creates a boto3 client or reads settings.
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING",
    # As deployed: every DynamoDB call in a tenant scope is signed by a session of the tenant data role
    # (``tenant_data_signed_as_iam_allows`` below checks each against the policies).
    "ATRIUM_TENANT_DATA_ROLE_ARN": "arn:aws:iam::123456789012:role/Atrium-test-TenantData-us-east-1",
    # Tenants without a subscription are on the plan with every feature and room, so a test of anything but the
    # plans meets no 402; the billing tests put their tenants on the plans they test (tests/api/test_billing_*.py).
    "ATRIUM_BILLING_DEFAULT_PLAN": "enterprise",
    # The route-wide tests install plugins for many routes in one tenant; tests/api/test_plugins.py holds the limit.
    "ATRIUM_PLUGIN_OPERATIONS_PER_15_MINUTES": "1000",
})
os.environ.pop("AWS_ENDPOINT_URL", None)

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi import FastAPI
from moto import mock_aws
from moto.core.config import DefaultConfig

from atrium.identity import passwords
from atrium.identity.access_state import forget_cached_access
from atrium.kernel.config import settings
from atrium.kernel.http.rate_limits import forget_used_up_windows
from atrium.kernel.secrets import forget_cached_secrets
from atrium.kernel.store.data_keys import forget_held_keys
from atrium_local.action_lookup import cached_action_lookup
from atrium_local.atomic_writes import atomic_dynamodb_writes
from atrium_local.attribute_values import fast_attribute_values
from atrium_local.devserver import local_app
from atrium_local.environment import use_stripe_fake
from atrium_local.provision import Provisioned, provision
from atrium_local.stripe_fake.app import StripeFake
from atrium_local.stripe_fake.server import StripeFakeServer
from tests.support.iam_leading_keys import recording_signed_calls
from tests.support.moto_snapshot import MotoSnapshot
from tests.support.unsigned_requests import unsigned_requests

pytest_plugins = ["pytester"]  # tests of the suite's own fixtures run a suite of their own

# boto3's default session (and the service models it has loaded) lives as long as the process, as in a Lambda.
KEEP_BOTO3_SESSION: DefaultConfig = {"core": {"reset_boto3_session": False}}
# argon2id at its cheapest: the suite hashes thousands of passwords. tests/unit/test_passwords.py proves the
# production parameters, and the local stack's tests (tests/e2e) run with them.
passwords._hasher = PasswordHasher.from_parameters(CHEAPEST)
# The tests allocate much (moto deep-copies its world for each test), and with CPython's default thresholds the
# collector ran thousands of times a file, over every module and app loaded: a sixth of an API test's time.
COLLECT_AFTER_ALLOCATIONS = 100_000


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded once collected (modules, the apps, the test modules' specs) lives as long as the process:
    frozen out of the collector's reach; and the youngest objects are collected less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(COLLECT_AFTER_ALLOCATIONS, 50, 100)


def _forget_process_state() -> None:
    """What a process remembers of the world (secrets, live access, data keys) must not outlive one test. Clients stay:
    the world keeps its addresses."""
    forget_cached_secrets()
    forget_cached_access()
    forget_used_up_windows()
    forget_held_keys()


@contextmanager
def _moto() -> Iterator[None]:
    """moto, with writes atomic as DynamoDB's (see ``atrium_local.atomic_writes``), so tests may race writers in
    threads, its DynamoDB answers written fast (``atrium_local.attribute_values``), its actions looked up once
    (``atrium_local.action_lookup``) and requests to it unsigned (``tests/support/unsigned_requests.py``)."""
    with mock_aws(config=KEEP_BOTO3_SESSION), atomic_dynamodb_writes(), fast_attribute_values(), \
            cached_action_lookup(), unsigned_requests():
        yield


@contextmanager
def _one_tests_world() -> Iterator[None]:
    _forget_process_state()
    with _moto():
        yield
    _forget_process_state()


@pytest.fixture(autouse=True)
def tenant_data_signed_as_iam_allows(request: pytest.FixtureRequest) -> Iterator[None]:
    """moto does not enforce IAM: every test checks that each DynamoDB call of the product was signed by a
    principal whose policy allows the keys it names (``tests/support/iam_leading_keys.py``), but a test marked
    ``iam_refusals_expected`` (one showing a refusal)."""
    with recording_signed_calls() as calls:
        yield
    if request.node.get_closest_marker("iam_refusals_expected"):
        return
    refused = list(dict.fromkeys(str(call) for call in calls if not call.allowed))
    assert not refused, "IAM would refuse:\n" + "\n".join(refused[:20])


@pytest.fixture(scope="session")
def stripe_fake() -> Iterator[StripeFakeServer]:
    """The Stripe fake, on a free port of this process: the Stripe SDK's calls go there (its objects outlive a test,
    as Stripe's would; tests isolate by tenant). It sends events only where a test points ``fake.webhook``."""
    server = StripeFakeServer(StripeFake()).start()
    # Put back on teardown: a pytest session run inside a test (pytester) must leave the outer one's fake in use.
    with pytest.MonkeyPatch.context() as environment:
        for name in ("ATRIUM_STRIPE_API_BASE", "ATRIUM_STRIPE_PRICE_IDS", "ATRIUM_STRIPE_METERED_PRICE_IDS"):
            environment.delenv(name, raising=False)
        use_stripe_fake(server.url)
        settings.cache_clear()
        yield server
    settings.cache_clear()
    server.stop()


@pytest.fixture(scope="session")
def provisioned_world(stripe_fake: StripeFakeServer) -> tuple[Provisioned, MotoSnapshot]:
    """Every declared resource, provisioned once per test process, and the moto state it left; Stripe is the fake."""
    with _moto():
        return provision(), MotoSnapshot.take()


@pytest.fixture
def aws(provisioned_world: tuple[Provisioned, MotoSnapshot], stripe_fake: StripeFakeServer) -> Iterator[Provisioned]:
    """A moto world with every declared resource provisioned and nothing else in it: each test starts from the
    provisioned state (``tests/support/moto_snapshot.py``), with the Stripe fake listening."""
    provisioned, snapshot = provisioned_world
    with _one_tests_world():
        snapshot.restore()
        yield provisioned


@pytest.fixture
def aws_as_declared_now(stripe_fake: StripeFakeServer) -> Iterator[Provisioned]:
    """A moto world provisioned for this test alone, from the declarations as they are when it starts: for
    tests that declare a queue, a task or a job kind of their own (``aws`` holds only the product's)."""
    with _one_tests_world():
        yield provision()


@pytest.fixture(scope="session")
def local_api() -> FastAPI:
    """The local stack's app, built once per test process: it holds code, no state (the world is ``aws``)."""
    return local_app()


@pytest.fixture
def sqs_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's SQS keeps delays and visibility timeouts on the clock the code reads (``kernel.clock``), so a test
    that moves the clock sees delayed messages arrive, as the local worker fires schedules on that clock."""
    from moto.sqs import models as sqs_models

    from atrium.kernel import clock

    monkeypatch.setattr(sqs_models, "unix_time_millis", lambda *_: clock.now().timestamp() * 1000)
    monkeypatch.setattr(sqs_models, "unix_time", lambda *_: clock.now().timestamp())
