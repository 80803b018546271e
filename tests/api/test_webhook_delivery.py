"""Outbound delivery end to end: event -> fan-out -> delivery task -> a receiver that verifies the signature."""

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import boto3
import jwt
import pytest
from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from atrium.identity.tokens import issue_access_token
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.webhooks import retry_policy, sender
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.outbox import outbox_items
from tests.support.step_up import stepped_up
from tests.support.webhook_receiver import Answer, Receiver

PATH = "/v1/webhook-endpoints"


def _auth(tenant: Tenant) -> dict[str, str]:
    """A token for the tenant's session issued now: tests here move the clock past access tokens' lifetime."""
    claims = jwt.decode(tenant.token, options={"verify_signature": False})
    token = issue_access_token(user_id=claims["sub"], tenant_id=claims["tid"], session_id=claims["sid"])
    return {"Authorization": f"Bearer {token}"}


def _endpoint(client: TestClient, tenant: Tenant, url: str, **fields: Any) -> dict[str, Any]:
    response = client.post(PATH, json={"url": url, **fields}, headers=_auth(tenant))
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



def _items(entity: str) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb", region_name=settings().region).Table(settings().table_name)
    return [item for item in table.scan()["Items"] if item.get("entity") == entity]


def _deliveries() -> list[dict[str, Any]]:
    return _items("WebhookDelivery")


def _test_send(client: TestClient, tenant: Tenant, endpoint: dict[str, Any]) -> str:
    response = client.post(f"{PATH}/{endpoint['id']}/test", json={}, headers=_auth(tenant))
    assert response.status_code == 202, response.text
    return str(response.json()["message_ids"][0])


@pytest.fixture
def frozen() -> Iterator[Callable[[float], None]]:
    with clock.frozen(clock.now()) as advance:
        yield advance


def test_an_always_failing_endpoint_is_tried_on_the_schedule_then_the_delivery_fails(
        client: TestClient, tenant_a: Tenant, worker: Worker, receiver: Receiver, frozen: Callable[[float], None],
        sqs_on_the_clock: None) -> None:
    worker.drain()
    receiver.default = Answer(status=500, body=b"down")
    endpoint = _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    assert len(receiver.received) == 1
    for number, delay in enumerate(retry_policy.SCHEDULE_SECONDS, start=2):
        (delivery,) = _deliveries()
        assert delivery["status"] == "pending" and delivery["attempts"] == number - 1
        due = datetime.fromisoformat(delivery["next_attempt_at"]) - clock.now()
        assert delay * 0.8 <= due.total_seconds() <= delay * 1.2 + 1
        frozen(due.total_seconds() - 2)
        worker.drain()
        assert len(receiver.received) == number - 1  # not yet
        frozen(3)
        worker.drain()
        assert len(receiver.received) == number
    (delivery,) = _deliveries()
    assert delivery["status"] == "failed" and delivery["attempts"] == retry_policy.MAX_ATTEMPTS
    assert "next_attempt_at" not in delivery or delivery["next_attempt_at"] is None
    frozen(24 * 3600)
    worker.drain()
    assert len(receiver.received) == retry_policy.MAX_ATTEMPTS
    ids = {request.headers["webhook-id"] for request in receiver.received}
    assert len(ids) == 1  # one message, one webhook-id across every retry
    log = client.get(f"{PATH}/{endpoint['id']}/deliveries", headers=_auth(tenant_a)).json()["data"]
    assert [a["attempt"] for a in log] == list(range(retry_policy.MAX_ATTEMPTS, 0, -1))
    assert all(a["status_code"] == 500 and a["response_body"] == "down" and not a["succeeded"] for a in log)


def test_retry_after_on_429_sets_the_next_attempt(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                  receiver: Receiver, frozen: Callable[[float], None]) -> None:
    worker.drain()
    receiver.script = [Answer(status=429, headers={"Retry-After": "120"})]
    _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    (delivery,) = _deliveries()
    assert datetime.fromisoformat(delivery["next_attempt_at"]) == clock.now() + timedelta(seconds=120)


def test_a_redirect_is_a_failure_and_is_not_followed(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                     receiver: Receiver) -> None:
    worker.drain()
    receiver.script = [Answer(status=302, headers={"Location": receiver.url + "/elsewhere"})]
    endpoint = _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    assert [r.path for r in receiver.received] == ["/hooks"]
    (attempt,) = client.get(f"{PATH}/{endpoint['id']}/deliveries", headers=_auth(tenant_a)).json()["data"]
    assert attempt["status_code"] == 302 and attempt["succeeded"] is False
    assert _deliveries()[0]["status"] == "pending"  # retried on the schedule


def test_410_gone_disables_the_endpoint_at_once(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                receiver: Receiver) -> None:
    worker.drain()
    receiver.default = Answer(status=410)
    endpoint = _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    assert client.get(f"{PATH}/{endpoint['id']}", headers=_auth(tenant_a)).json()["enabled"] is False
    (delivery,) = [d for d in _deliveries() if d["endpoint_id"] == endpoint["id"]]
    assert delivery["status"] == "failed"
    disabled = [e for e in outbox_items() if e["event_type"]["S"] == "webhook_endpoint.disabled"]
    assert len(disabled) == 1 and json.loads(disabled[0]["envelope"]["S"])["data"]["reason"] == "gone"
    assert len(receiver.received) == 1  # the disabled event is not sent to the endpoint it disabled
    (alert,) = [mail for mail in sent_mail() if "disabled a webhook endpoint" in mail["subject"]]
    assert alert["to"] == tenant_a.email and receiver.url in alert["text"]


def test_an_endpoint_failing_for_five_days_is_disabled(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                       receiver: Receiver, frozen: Callable[[float], None],
                                                       sqs_on_the_clock: None) -> None:
    worker.drain()
    receiver.default = Answer(status=503)
    endpoint = _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    frozen(settings().webhook_disable_after_seconds - 60)
    _test_send(client, tenant_a, endpoint)
    worker.drain()
    assert client.get(f"{PATH}/{endpoint['id']}", headers=_auth(tenant_a)).json()["enabled"] is True
    frozen(120)
    _test_send(client, tenant_a, endpoint)
    worker.drain()
    assert client.get(f"{PATH}/{endpoint['id']}", headers=_auth(tenant_a)).json()["enabled"] is False
    disabled = [json.loads(e["envelope"]["S"]) for e in outbox_items()
                if e["event_type"]["S"] == "webhook_endpoint.disabled"]
    assert [d["data"]["reason"] for d in disabled] == ["failing"]


def test_a_success_clears_the_failure_streak(client: TestClient, tenant_a: Tenant, worker: Worker,
                                             receiver: Receiver, frozen: Callable[[float], None]) -> None:
    worker.drain()
    receiver.script = [Answer(status=500)]
    endpoint = _endpoint(client, tenant_a, receiver.url)
    worker.drain()
    frozen(60)
    _test_send(client, tenant_a, endpoint)  # succeeds
    worker.drain()
    frozen(settings().webhook_disable_after_seconds)
    receiver.default = Answer(status=500)
    _test_send(client, tenant_a, endpoint)
    worker.drain()
    assert client.get(f"{PATH}/{endpoint['id']}", headers=_auth(tenant_a)).json()["enabled"] is True


def test_recover_resends_each_failed_message_once_oldest_first(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                               receiver: Receiver,
                                                               frozen: Callable[[float], None]) -> None:
    worker.drain()
    receiver.default = Answer(status=500)
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"])
    start = clock.iso(clock.now())
    sent = []
    for _ in range(3):
        frozen(1)
        sent.append(_test_send(client, tenant_a, endpoint))  # a test send is one attempt: it fails for good
    worker.drain()
    assert {d["status"] for d in _deliveries()} == {"failed"}
    receiver.received.clear()
    receiver.default = Answer(status=204)
    answer = client.post(f"{PATH}/{endpoint['id']}/recover", json={"since": start}, headers=_auth(tenant_a))
    assert answer.status_code == 202 and answer.json() == {"message_ids": sent, "more": False}
    again = client.post(f"{PATH}/{endpoint['id']}/recover", json={"since": start}, headers=_auth(tenant_a))
    assert again.json() == {"message_ids": [], "more": False}
    worker.drain()
    assert sorted(r.headers["webhook-id"] for r in receiver.received) == sorted(sent)
    assert {d["status"] for d in _deliveries()} == {"succeeded"}


def test_retry_resends_a_failed_message_and_refuses_when_nothing_failed(
        client: TestClient, tenant_a: Tenant, worker: Worker, receiver: Receiver) -> None:
    worker.drain()
    receiver.script = [Answer(status=500)]
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"])
    message_id = _test_send(client, tenant_a, endpoint)
    worker.drain()
    retried = client.post(f"/v1/webhook-messages/{message_id}/retry", json={}, headers=_auth(tenant_a))
    assert retried.status_code == 202 and retried.json()["message_ids"] == [message_id]
    worker.drain()
    message = client.get(f"/v1/webhook-messages/{message_id}", headers=_auth(tenant_a)).json()
    assert [d["status"] for d in message["deliveries"]] == ["succeeded"]
    assert [(a["attempt"], a["status_code"]) for a in message["attempts"]] == [(2, 200), (1, 500)]
    assert message["payload"]["type"] == "webhook_endpoint.test"
    kept = datetime.fromisoformat(message["expires_at"]) - datetime.fromisoformat(message["created_at"])
    # Then the payload and its log expire (DynamoDB's TTL keeps whole seconds).
    assert abs(kept - timedelta(days=settings().webhook_payload_retention_days)) < timedelta(seconds=1)
    nothing = client.post(f"/v1/webhook-messages/{message_id}/retry", json={}, headers=_auth(tenant_a))
    assert nothing.status_code == 409
    named = client.post(f"/v1/webhook-messages/{message_id}/retry", json={"endpoint_id": endpoint["id"]},
                        headers=_auth(tenant_a))
    assert named.status_code == 202
    worker.drain()
    assert len(receiver.received) == 3


def test_deliveries_after_a_rotation_verify_with_either_secret(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                               receiver: Receiver) -> None:
    worker.drain()
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"])
    rotated = client.post(f"{PATH}/{endpoint['id']}/rotate-secret", headers=stepped_up(client, _auth(tenant_a))).json()
    _test_send(client, tenant_a, endpoint)
    worker.drain()
    (request,) = receiver.received
    for secret in (endpoint["secret"], rotated["secret"]):
        Webhook(secret).verify(request.body, request.headers)


def test_the_rate_limit_holds_attempts_back(client: TestClient, tenant_a: Tenant, worker: Worker,
                                            receiver: Receiver, frozen: Callable[[float], None],
                                            sqs_on_the_clock: None) -> None:
    worker.drain()
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"], rate_limit_per_second=2)
    for _ in range(5):
        _test_send(client, tenant_a, endpoint)
    worker.drain()
    assert len(receiver.received) == 2
    frozen(1)
    worker.drain()
    assert len(receiver.received) == 4
    frozen(1)
    worker.drain()
    assert len(receiver.received) == 5


def test_a_destination_that_became_private_is_refused_at_delivery(
        client: TestClient, tenant_a: Tenant, worker: Worker, receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    worker.drain()
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"])
    monkeypatch.setattr(settings(), "webhook_allowed_networks", "")
    _test_send(client, tenant_a, endpoint)
    worker.drain()
    assert receiver.received == []
    (attempt,) = client.get(f"{PATH}/{endpoint['id']}/deliveries", headers=_auth(tenant_a)).json()["data"]
    assert attempt["status_code"] is None and "refused" in attempt["error"] and "loopback" in attempt["error"]


def test_a_receiver_slower_than_the_total_timeout_fails_the_attempt(
        client: TestClient, tenant_a: Tenant, worker: Worker, receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    worker.drain()
    monkeypatch.setattr(sender, "TOTAL_TIMEOUT_SECONDS", 0.3)
    receiver.default = Answer(delay_seconds=1.0)
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"])
    _test_send(client, tenant_a, endpoint)
    worker.drain()
    (attempt,) = client.get(f"{PATH}/{endpoint['id']}/deliveries", headers=_auth(tenant_a)).json()["data"]
    assert attempt["status_code"] is None and "no response within 0.3 s" in attempt["error"]


def test_the_new_routes_do_not_cross_tenants(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                             worker: Worker, receiver: Receiver) -> None:
    worker.drain()
    endpoint = _endpoint(client, tenant_a, receiver.url, event_types=["member.joined"])
    message_id = _test_send(client, tenant_a, endpoint)
    worker.drain()
    calls = [("GET", f"{PATH}/{endpoint['id']}/deliveries", None), ("GET", f"/v1/webhook-messages/{message_id}", None),
             ("POST", f"/v1/webhook-messages/{message_id}/retry", {"endpoint_id": endpoint["id"]}),
             ("POST", f"{PATH}/{endpoint['id']}/recover", {"since": "2020-01-01T00:00:00Z"}),
             ("POST", f"{PATH}/{endpoint['id']}/test", {})]
    for method, path, body in calls:
        assert client.request(method, path, json=body, headers=_auth(tenant_b)).status_code == 404, path
        assert client.request(method, path, json=body, headers=_auth(tenant_a)).status_code in (200, 202), path
    worker.drain()
    assert len(receiver.received) == 3  # the first send, the retry, the test; recover found nothing failed
