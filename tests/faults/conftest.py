"""Fault tests: a provisioned moto world with the fault injector installed."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from atrium_local.provision import Provisioned
from tests.faults.injector import FaultInjector
from tests.support.webhook_receiver import receiver  # noqa: F401 (a fixture for these tests)


@pytest.fixture
def faults(aws: Provisioned) -> Iterator[FaultInjector]:
    """Installed after provisioning, so the world is built without faults; tests add the rules."""
    with FaultInjector(seed=7).installed() as injector:
        yield injector


@pytest.fixture
def client(aws: Provisioned, local_api: FastAPI) -> Iterator[TestClient]:
    with TestClient(local_api, raise_server_exceptions=False) as test_client:
        yield test_client
