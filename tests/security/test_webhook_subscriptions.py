"""A webhook never shows what whoever configures it could not read: subscribing an endpoint to an event type (or
to every type), changing a subscribed endpoint, and reading a message's payload need the type's read permission."""

from typing import Any

from fastapi.testclient import TestClient

from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member
from tests.support.webhook_receiver import Receiver

ENDPOINTS = "/v1/webhook-endpoints"
URL = "https://hooks.example.com/in"


def _member_with(client: TestClient, owner: Tenant, name: str, *permissions: str) -> Member:
    role = {"name": name, "description": "a narrow role", "permissions": list(permissions)}
    assert client.post("/v1/roles", json=role, headers=owner.auth).status_code == 201
    return add_member(owner.id, name)


def _subscribe(client: TestClient, auth: dict[str, str], event_types: list[str]) -> Any:
    return client.post(ENDPOINTS, json={"url": URL, "event_types": event_types}, headers=auth)


def test_creating_an_endpoint_needs_the_read_permission_of_each_subscribed_type(client: TestClient,
                                                                                tenant_a: Tenant) -> None:
    creator = _member_with(client, tenant_a, "hooks", "webhook_endpoints:create")

    for subscription in (["proof.created"], ["member.joined"], []):  # [] is every type
        refused = _subscribe(client, creator.auth, subscription)
        assert refused.status_code == 403, subscription
        assert "secret" not in refused.json()
    assert "proofs:read" in _subscribe(client, creator.auth, ["proof.created"]).json()["detail"]

    reader = _member_with(client, tenant_a, "proof-hooks", "webhook_endpoints:create", "proofs:read")
    assert _subscribe(client, reader.auth, ["proof.created", "proof.commented"]).status_code == 201
    assert _subscribe(client, reader.auth, []).status_code == 403
    assert _subscribe(client, tenant_a.auth, []).status_code == 201  # the owner reads everything


def test_changing_a_subscribed_endpoint_needs_the_same_permissions(client: TestClient, tenant_a: Tenant) -> None:
    endpoint = _subscribe(client, tenant_a.auth, ["proof.created"])
    assert endpoint.status_code == 201
    editor = _member_with(client, tenant_a, "hook-editor", "webhook_endpoints:update", "webhook_endpoints:read")
    path = f"{ENDPOINTS}/{endpoint.json()['id']}"
    etag = client.get(path, headers=editor.auth).headers["etag"]

    moved = client.patch(path, json={"url": "https://attacker.example.com/"}, headers=editor.auth | {"If-Match": etag})
    widened = client.patch(path, json={"event_types": []}, headers=editor.auth | {"If-Match": etag})

    assert (moved.status_code, widened.status_code) == (403, 403)
    assert client.get(path, headers=tenant_a.auth).json()["url"] == URL


def test_reading_a_message_needs_the_read_permission_of_its_type(client: TestClient, tenant_a: Tenant,
                                                                 worker: Worker, receiver: Receiver) -> None:
    worker.drain()
    assert client.post(ENDPOINTS, json={"url": receiver.url, "event_types": ["proof.created"]},
                       headers=tenant_a.auth).status_code == 201
    assert client.post("/v1/proofs", json={"title": "Spring catalogue"}, headers=tenant_a.auth).status_code == 201
    worker.drain()
    message_id = receiver.received[-1].headers["webhook-id"]
    log_reader = _member_with(client, tenant_a, "log-reader", "webhook_messages:read")

    refused = client.get(f"/v1/webhook-messages/{message_id}", headers=log_reader.auth)

    assert refused.status_code == 403 and "Spring catalogue" not in refused.text
    shown = client.get(f"/v1/webhook-messages/{message_id}", headers=tenant_a.auth)
    assert shown.status_code == 200 and shown.json()["payload"]["data"]["title"] == "Spring catalogue"
