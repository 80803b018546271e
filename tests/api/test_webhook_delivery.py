"""Outbound delivery end to end: event -> fan-out -> delivery task -> a receiver that verifies the signature."""

import json
from typing import Any

from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from atrium.local.worker import Worker
from tests.api.conftest import Tenant
from tests.webhook_receiver import Receiver, receiver  # noqa: F401 (a fixture)

PATH = "/v1/webhook-endpoints"


def _endpoint(client: TestClient, tenant: Tenant, url: str, **fields: Any) -> dict[str, Any]:
    response = client.post(PATH, json={"url": url, **fields}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_an_event_reaches_the_endpoint_signed_as_standard_webhooks_verify(
        client: TestClient, tenant_a: Tenant, worker: Worker, receiver: Receiver) -> None:
    worker.drain()  # the sign-up's events go before the endpoint exists
    endpoint = _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    assert len(receiver.received) == 1
    request = receiver.received[0]
    payload = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "webhook_endpoint.created" and payload["data"]["endpoint_id"] == endpoint["id"]
    assert request.headers["webhook-id"].startswith("msg_") and json.loads(request.body) == payload

