"""Stripe's webhook: signatures made with the stripe library; each event is emitted once."""

import json
import time
from typing import Any

import boto3
import stripe
from fastapi.testclient import TestClient

from atrium.audit.verification import verify
from atrium.kernel.config import settings
from atrium.kernel.secrets import forget_cached_secrets, read_secret
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from atrium_local.worker import Worker
from tests.support.invitations import table_items
from tests.support.outbox import outbox_items

PATH = "/v1/hooks/stripe"
EVENT = {"id": "evt_1PqRsT2eZvKYlo2C", "object": "event", "type": "invoice.paid", "livemode": False,
         "data": {"object": {"id": "in_1", "object": "invoice", "customer": "cus_1"}}}
BODY = json.dumps(EVENT)


def _headers(body: str = BODY, *, secret: str | None = None, at: int | None = None) -> dict[str, str]:
    secret = secret or read_secret(settings().stripe_webhook_secret_id)
    signature = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=at)
    return {"Stripe-Signature": signature, "content-type": "application/json"}


def _emitted() -> list[dict[str, Any]]:
    envelopes = [json.loads(item["envelope"]["S"]) for item in outbox_items()]
    return [e for e in envelopes if e["type"] == "billing.stripe_event"]


def test_a_signed_event_is_emitted_in_the_platform_log(client: TestClient) -> None:
    response = client.post(PATH, content=BODY, headers=_headers())
    assert response.status_code == 200, response.text
    assert response.json() == {"stripe_event_id": EVENT["id"], "duplicate": False}
    [event] = _emitted()
    assert event["tenant_id"] == PLATFORM_TENANT_ID and event["actor"]["id"] == "stripe"
    assert event["data"] == {"stripe_event_id": EVENT["id"], "stripe_type": "invoice.paid", "livemode": False,
                             "payload": EVENT}
    assert [item["pk"]["S"] for item in table_items("StripeEvent")] == [f"G#StripeEvent#{EVENT['id']}"]


def test_the_platform_log_is_chained_like_a_tenant_log(client: TestClient, worker: Worker) -> None:
    assert client.post(PATH, content=BODY, headers=_headers()).status_code == 200
    worker.drain()  # relay -> bus, and the chainer links the entry
    with tenant_scope(PLATFORM_TENANT_ID):
        report = verify(PLATFORM_TENANT_ID)
    assert report.intact and report.entries_verified == 1 and report.pending == 0


def test_a_replayed_event_is_accepted_and_not_emitted_again(client: TestClient) -> None:
    assert client.post(PATH, content=BODY, headers=_headers()).json()["duplicate"] is False
    again = client.post(PATH, content=BODY, headers=_headers())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert len(_emitted()) == 1


def test_bad_missing_and_stale_signatures_are_400_and_store_nothing(client: TestClient) -> None:
    tampered = BODY.replace("cus_1", "cus_2")
    calls = [
        (_headers(secret="whsec_not_the_secret"), BODY),
        (_headers(), tampered),
        (_headers(at=int(time.time()) - 301), BODY),
        ({"content-type": "application/json"}, BODY),
        ({"Stripe-Signature": "garbage"}, BODY),
    ]
    for headers, body in calls:
        response = client.post(PATH, content=body, headers=headers)
        assert response.status_code == 400, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert _emitted() == [] and table_items("StripeEvent") == []


def test_a_signed_body_that_is_not_an_event_is_400(client: TestClient) -> None:
    for body in ("not json", json.dumps({"id": "nope", "type": "x"}), json.dumps([1])):
        assert client.post(PATH, content=body, headers=_headers(body)).status_code == 400
    assert _emitted() == []


def test_events_of_the_connect_endpoint_are_verified_with_its_own_secret(client: TestClient) -> None:
    platform = read_secret(settings().stripe_webhook_secret_id)
    boto3.client("secretsmanager", region_name=settings().region).put_secret_value(
        SecretId=settings().stripe_webhook_secret_id, SecretString=f"{platform}, whsec_connect_endpoint")
    forget_cached_secrets()
    connected = json.dumps(EVENT | {"id": "evt_1Connected", "account": "acct_1Office"})
    assert client.post(PATH, content=BODY, headers=_headers(secret=platform)).status_code == 200
    assert client.post(PATH, content=connected, headers=_headers(connected, secret="whsec_connect_endpoint")
                       ).status_code == 200
    assert client.post(PATH, content=BODY, headers=_headers(secret="whsec_neither")).status_code == 400
    assert [event["data"]["stripe_event_id"] for event in _emitted()] == [EVENT["id"], "evt_1Connected"]
