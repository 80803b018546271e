"""The local webhook receiver: a webhook endpoint pointed at ``/_local/receiver/{name}`` delivers there, and each
delivery is checked against the secret registered for the name, as a subscriber would check it; the console lists
the deliveries with the result. Bad input is a 4xx."""

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.webhooks import endpoint_secrets, signing
from atrium_local import receiver
from atrium_local.worker import Worker
from tests.api.conftest import Tenant, signup
from tests.api.console_helpers import Page


@pytest.fixture
def api_url(local_api: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The local app served on a loopback port, which webhooks may reach as in the local stack."""
    monkeypatch.setattr(settings(), "webhook_allow_http", True)
    monkeypatch.setattr(settings(), "webhook_allowed_networks", "127.0.0.0/8")
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(local_api, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    listening.close()


def _endpoint(client: TestClient, tenant: Tenant, url: str) -> dict[str, Any]:
    response = client.post("/v1/webhook-endpoints", json={"url": url}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _put_secret(client: TestClient, name: str, secret: str) -> None:
    assert client.put(f"/_local/receiver/{name}/secret", json={"secret": secret}).status_code == 204


def _received(client: TestClient, name: str) -> list[dict[str, Any]]:
    deliveries: list[dict[str, Any]] = client.get(f"/_local/receiver/{name}").json()
    return deliveries


def test_deliveries_are_valid_with_the_endpoints_secret_and_invalid_with_another(
        client: TestClient, worker: Worker, api_url: str) -> None:
    tenant = signup(client, "Receiver Co")
    worker.drain()
    right = _endpoint(client, tenant, f"{api_url}/_local/receiver/right")
    wrong = _endpoint(client, tenant, f"{api_url}/_local/receiver/wrong")
    _put_secret(client, "right", right["secret"])
    _put_secret(client, "wrong", endpoint_secrets.mint())
    worker.drain()  # each endpoint's webhook_endpoint.created, and the test sends
    for endpoint in (right, wrong):
        assert client.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", json={},
                           headers=tenant.auth).status_code == 202
    worker.drain()

    valid = _received(client, "right")
    assert valid and {d["signature"] for d in valid} == {receiver.VALID}
    assert valid[0]["headers"]["webhook-id"].startswith("msg_") and '"type":' in valid[0]["body"]
    invalid = _received(client, "wrong")
    assert invalid and {(d["signature"], d["reason"]) for d in invalid} == {
        (receiver.INVALID, "No matching signature found")}

    page = Page.of(client.get("/_local/webhooks").text).text
    assert f"valid right {valid[0]['received_at']}" in page
    assert f"invalid wrong {invalid[0]['received_at']} No matching signature found" in page


def _signed(secret: str, body: bytes) -> dict[str, str]:
    return signing.headers([secret], "msg_local", datetime.now(UTC), body)


def test_without_a_secret_a_delivery_is_unchecked_and_with_one_it_is_checked(client: TestClient) -> None:
    body, secret = b'{"type": "test"}', endpoint_secrets.mint()
    answer = client.post("/_local/receiver/later", content=body, headers=_signed(secret, body))
    assert (answer.status_code, answer.json()) == (200, {"signature": "unchecked", "reason": "no secret registered"})
    _put_secret(client, "later", secret)
    answer = client.post("/_local/receiver/later", content=body, headers=_signed(secret, body))
    assert (answer.status_code, answer.json()) == (200, {"signature": "valid", "reason": None})
    tampered = client.post("/_local/receiver/later", content=b'{"type": "other"}', headers=_signed(secret, body))
    assert tampered.status_code == 401 and tampered.json()["signature"] == "invalid"
    assert [d["signature"] for d in _received(client, "later")] == ["invalid", "valid", "unchecked"]  # newest first
    assert "unchecked later" in Page.of(client.get("/_local/webhooks").text).text
    assert "no secret registered" in Page.of(client.get("/_local/webhooks").text).text


@pytest.mark.parametrize(("headers", "body"), [
    ({}, b"{}"),
    ({"webhook-id": "msg_1", "webhook-timestamp": "soon", "webhook-signature": "v1,abc"}, b"{}"),
    ({"webhook-id": "msg_1", "webhook-timestamp": str(int(time.time())), "webhook-signature": "nocomma"}, b"{}"),
    ({"webhook-id": "msg_1", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,!!"}, b"{}"),
    ({"webhook-id": "msg_1", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,abc"}, b"\xff\xfe"),
])
def test_a_malformed_delivery_is_invalid_not_an_error(client: TestClient, headers: dict[str, str],
                                                       body: bytes) -> None:
    _put_secret(client, "malformed", endpoint_secrets.mint())
    answer = client.post("/_local/receiver/malformed", content=body, headers=headers)
    assert answer.status_code == 401 and answer.json()["signature"] == "invalid" and answer.json()["reason"]


@pytest.mark.parametrize("secret", ["", "whsec_", "secret", "whsec_not base64!", "sk_" + "A" * 32])
def test_a_secret_that_is_not_a_standard_webhooks_one_is_refused(client: TestClient, secret: str) -> None:
    assert client.put("/_local/receiver/demo/secret", json={"secret": secret}).status_code == 422


@pytest.mark.parametrize("name", ["a" * 65, "sp ace", "semi;colon"])
def test_a_bad_receiver_name_is_refused(client: TestClient, name: str) -> None:
    assert client.post(f"/_local/receiver/{name}", content=b"{}").status_code == 422
    assert client.put(f"/_local/receiver/{name}/secret", json={"secret": endpoint_secrets.mint()}).status_code == 422


def test_the_receiver_keeps_only_the_newest_deliveries(client: TestClient) -> None:
    for number in range(receiver.MAX_DELIVERIES + 1):
        client.post("/_local/receiver/bounded", content=str(number).encode())
    kept = receiver.deliveries()
    assert len(kept) == receiver.MAX_DELIVERIES
    assert kept[0].body == str(receiver.MAX_DELIVERIES) and "0" not in [d.body for d in kept if d.receiver == "bounded"]
