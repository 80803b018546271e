"""Sample webhook endpoints, messages and inbound hooks, for the tests and the bench (``atrium.kernel.testing``):
signed calls to the receivers are signed over the exact bytes the client will send."""

from datetime import UTC, datetime
from typing import Any

import httpx
import stripe
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook

from atrium.kernel import ids
from atrium.kernel.config import settings
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.secrets import read_secret
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup, created
from atrium.webhooks.messages import message_deliveries

ENDPOINTS = "/v1/webhook-endpoints"
NEW_ENDPOINT = {"url": "https://example.com/bench", "event_types": ["member.joined"]}
NEW_HOOK = {"name": "Bench"}
PAYLOAD = {"type": "bench.ping", "data": {"n": 1}}


def _a_test_message(client: TestClient, owner: Owner) -> str:
    endpoint = created("id", ENDPOINTS, {"url": "https://example.com/matrix-messages"})(client, owner)
    response = client.post(f"{ENDPOINTS}/{endpoint}/test", json={}, headers=owner.auth)
    assert response.status_code == 202, response.text
    return str(response.json()["message_ids"][0])


PATH_IDS: dict[str, IdFactory] = {
    "hook_id": created("id", "/v1/inbound-hooks", {"name": "matrix"}),
    "endpoint_id": created("id", ENDPOINTS, {"url": "https://example.com/matrix"}),
    "message_id": _a_test_message,
}


def _endpoint_path(fixture: Fixture) -> str:
    """A new endpoint. A tenant holds at most 50, so the tenant's others go first (unmeasured)."""
    listed = fixture.client.get(ENDPOINTS, params={"limit": 100}, headers=fixture.auth)
    listed.raise_for_status()
    for endpoint in listed.json()["data"]:
        fixture.client.delete(f"{ENDPOINTS}/{endpoint['id']}", headers=fixture.auth).raise_for_status()
    return f"{ENDPOINTS}/{fixture.post(ENDPOINTS, NEW_ENDPOINT)['id']}"


def _test_message(fixture: Fixture, endpoint_path: str) -> str:
    return str(fixture.post(f"{endpoint_path}/test", {})["message_ids"][0])


def _message_retry(fixture: Fixture) -> Request:
    """A resend of a test message to its endpoint, left as delivered (no delivery consumer runs here)."""
    endpoint_path = _endpoint_path(fixture)
    message_id = _test_message(fixture, endpoint_path)
    with tenant_scope(fixture.tenant_id):
        for delivery in message_deliveries(fixture.tenant_id, message_id):
            delivery.status = "succeeded"
            delivery.save()
    return Request(path=f"/v1/webhook-messages/{message_id}/retry",
                   body={"endpoint_id": endpoint_path.rsplit("/", 1)[1]})


def _sent_bytes(body: dict[str, Any]) -> str:
    return httpx.Request("POST", "http://bench", json=body).content.decode()


def _hook_path(fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request(path=f"/v1/inbound-hooks/{fixture.post('/v1/inbound-hooks', NEW_HOOK)['id']}")


def _signed_inbound_call(fixture: Fixture, _spec: RouteSpec) -> Request:
    hook = fixture.post("/v1/inbound-hooks", NEW_HOOK)
    webhook_id, now = ids.new_id("evt"), datetime.now(UTC)
    signature = Webhook(hook["secret"]).sign(webhook_id, now, _sent_bytes(PAYLOAD))
    return Request(body=PAYLOAD, path="/" + hook["url"].split("/", 3)[3], headers={
        "webhook-id": webhook_id, "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature})


def _signed_stripe_event(_fixture: Fixture, _spec: RouteSpec) -> Request:
    event = {"id": "evt_" + ids.ulid(), "object": "event", "type": "invoice.paid", "livemode": False, "data": {}}
    header = stripe.WebhookSignature.generate_signature_header(
        _sent_bytes(event), read_secret(settings().stripe_webhook_secret_id))
    return Request(body=event, headers={"Stripe-Signature": header})


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "webhooks.create_webhook_endpoint": lambda _fixture, _: Request(body=NEW_ENDPOINT),
    "webhooks.get_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture)),
    "webhooks.update_webhook_endpoint": lambda fixture, _: Request(
        path=_endpoint_path(fixture), body={"description": "Bench"}, headers={"If-Match": '"1"'}),
    "webhooks.delete_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture)),
    "webhooks.get_webhook_endpoint_secret": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/secret"),
    "webhooks.rotate_webhook_endpoint_secret": lambda fixture, _: Request(
        path=_endpoint_path(fixture) + "/rotate-secret"),
    "webhooks.list_webhook_deliveries": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/deliveries"),
    "webhooks.get_webhook_message": lambda fixture, _: Request(
        path=f"/v1/webhook-messages/{_test_message(fixture, _endpoint_path(fixture))}"),
    "webhooks.retry_webhook_message": lambda fixture, _: _message_retry(fixture),
    "webhooks.recover_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/recover",
                                                                    body={"since": "2026-01-01T00:00:00Z"}),
    "webhooks.test_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/test", body={}),
    "webhooks.create_inbound_hook": lambda _fixture, _: Request(body=NEW_HOOK),
    "webhooks.get_inbound_hook": _hook_path,
    "webhooks.delete_inbound_hook": _hook_path,
    "webhooks.receive_inbound_hook": _signed_inbound_call,
    "webhooks.receive_stripe_event": _signed_stripe_event,
}

AWS_CALL_BUDGETS = {
    "webhooks.receive_stripe_event": CallBudget(3,
        "The platform's log seals its events under the platform tenant's data key: the first event a stack receives "
        "makes that key (GetItem, then a conditional PutItem), once per table; every later one makes the one "
        "TransactWriteItems."),
    "webhooks.create_inbound_hook + Idempotency-Key": CallBudget(3,
        "The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, so a "
        "retry replays the stored response."),
    "webhooks.delete_inbound_hook": CallBudget(3,
        "A consistent GetItem of the hook (its version, and the public id that names its address), a consistent "
        "GetItem of the address (its version), then one transaction deleting both."),
    "webhooks.receive_inbound_hook": CallBudget(2,
        "A GetItem of the hook's address: the public receiver learns the tenant and the sealed secret from the URL's "
        "id before it can verify anything; then one transaction (replay guard, audit entry, event)."),
    "webhooks.create_webhook_endpoint + Idempotency-Key": CallBudget(5,
        "The endpoint count (a COUNT Query) and the tenant's subscription (GetItem: the plan's limit), and the "
        "idempotency record claimed (PutItem) before the transaction and completed (PutItem) after it, so a retry "
        "replays the stored response (with its secret, sealed)."),
    "webhooks.update_webhook_endpoint": CallBudget(2,
        "A consistent GetItem of the endpoint before the transaction: a stale If-Match fails fast with 412, and the "
        "fields left out are kept as read."),
    "webhooks.delete_webhook_endpoint": CallBudget(2,
        "A consistent GetItem of the endpoint first: its version for the conditional delete, and its fields for the "
        "event."),
    "webhooks.rotate_webhook_endpoint_secret": CallBudget(2,
        "A consistent GetItem of the endpoint (its sealed secrets and version) before the transaction that saves the "
        "new secret beside the one in its grace period."),
    "webhooks.get_webhook_endpoint_secret": CallBudget(2,
        "A read of a signing secret is audited: the GetItem of the endpoint, then a transaction holding only the audit"
        " entry (no event)."),
    "webhooks.create_webhook_endpoint": CallBudget(3,
        "A COUNT Query of the tenant's endpoints first: a message and its deliveries to every endpoint are one "
        "transaction, so a tenant has at most 50 endpoints; and a GetItem of the tenant's subscription, whose plan "
        "may allow fewer."),
    "webhooks.list_webhook_deliveries": CallBudget(2,
        "A GetItem of the endpoint, so another tenant's or a deleted endpoint is a 404 rather than an empty log, then "
        "one Query per page."),
    "webhooks.retry_webhook_message": CallBudget(2,
        "A Query of the message's partition (the message with its deliveries, in one call) to choose what to resend, "
        "then the versioned transaction with the audit entry."),
    "webhooks.recover_webhook_endpoint": CallBudget(2,
        "A GetItem of the endpoint (it must exist and be enabled), then one Query of its failed deliveries; a "
        "transaction follows only when some failed."),
    "webhooks.test_webhook_endpoint": CallBudget(2,
        "A GetItem of the endpoint (its URL, that it is enabled), then the transaction writing the message, its "
        "delivery and the audit entry."),
}
