"""The full local app over moto, and helpers to sign up tenants."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.support.stripe_webhook import stripe_webhook  # noqa: F401 (a fixture for these tests)
from tests.support.webhook_receiver import receiver  # noqa: F401 (a fixture for these tests)

PASSWORD = "correct horse battery staple"
_numbers = count(1)


@dataclass
class Tenant:
    id: str
    user_id: str
    email: str
    token: str
    body: dict[str, Any]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def client(aws: Provisioned, local_api: FastAPI) -> Iterator[TestClient]:
    with TestClient(local_api, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def worker(aws: Provisioned) -> Worker:
    return Worker(aws, retry_delay_seconds=0)


def signup(client: TestClient, name: str = "Acme", email: str | None = None, **headers: str) -> Tenant:
    email = email or f"owner{next(_numbers)}@example.com"
    response = client.post("/v1/signup", json={"tenant_name": name, "email": email, "password": PASSWORD},
                           headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    return Tenant(body["tenant"]["id"], body["user"]["id"], email, body["access_token"], body)


@pytest.fixture
def tenant_a(client: TestClient) -> Tenant:
    return signup(client, "Tenant A")


@pytest.fixture
def tenant_b(client: TestClient) -> Tenant:
    return signup(client, "Tenant B")
