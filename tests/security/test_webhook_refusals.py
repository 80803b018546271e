"""A refused webhook destination is reported as not allowed: what the platform's DNS answered for the endpoint's
host (a private address) never reaches the tenant, neither in an attempt's error nor in a delivery's
``last_error``."""

import pytest
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.webhook_receiver import Receiver

ENDPOINTS = "/v1/webhook-endpoints"


def test_a_name_resolving_to_a_private_address_is_not_allowed_and_the_address_is_not_shown(
        client: TestClient, tenant_a: Tenant, worker: Worker, receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    worker.drain()  # the sign-up's events go before the endpoint exists
    by_name = receiver.url.replace("127.0.0.1", "localhost")  # resolves to loopback
    created = client.post(ENDPOINTS, json={"url": by_name, "event_types": ["member.joined"]}, headers=tenant_a.auth)
    assert created.status_code == 201, created.text
    monkeypatch.setattr(settings(), "webhook_allowed_networks", "")  # as in AWS: nothing private is reachable
    sent = client.post(f"{ENDPOINTS}/{created.json()['id']}/test", json={}, headers=tenant_a.auth)
    assert sent.status_code == 202, sent.text
    worker.drain()

    assert receiver.received == []
    message = client.get(f"/v1/webhook-messages/{sent.json()['message_ids'][0]}", headers=tenant_a.auth).json()
    (delivery,), (attempt,) = message["deliveries"], message["attempts"]
    for error in (delivery["last_error"], attempt["error"]):
        assert "localhost is not an allowed destination" in error
        assert not any(leak in error for leak in ("127.0.0.1", "::1", "loopback")), error
