"""Tenant inbound hooks: CRUD, and the public receiver that verifies Standard Webhooks signatures."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook

from atrium.webhooks.payloads import MAX_PAYLOAD_BYTES
from tests.api.conftest import Tenant
from tests.support.invitations import table_items
from tests.support.outbox import outbox_items

HOOKS = "/v1/inbound-hooks"
PAYLOAD = {"type": "contact.updated", "data": {"id": "c_1", "email": "a@example.com"}}


def _create(client: TestClient, tenant: Tenant, name: str = "CRM") -> dict[str, Any]:
    response = client.post(HOOKS, json={"name": name}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _path(hook: dict[str, Any]) -> str:
    return "/" + str(hook["url"]).split("/", 3)[3]


def _signed(secret: str, body: str, *, webhook_id: str = "msg_1", at: datetime | None = None) -> dict[str, str]:
    at = at or datetime.now(UTC)
    return {"webhook-id": webhook_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(webhook_id, at, body), "content-type": "application/json"}


def _received() -> list[dict[str, Any]]:
    envelopes = [json.loads(item["envelope"]["S"]) for item in outbox_items()]
    return [e for e in envelopes if e["type"] == "inbound_hook.received"]


def test_create_shows_url_and_secret_once(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post(HOOKS, json={"name": "CRM"}, headers=tenant_a.auth)
    assert response.status_code == 201, response.text
    hook = response.json()
    assert hook["id"].startswith("ihk_") and hook["secret"].startswith("whsec_")
    assert response.headers["location"] == f"{HOOKS}/{hook['id']}"
    assert _path(hook).startswith("/v1/hooks/in/ih_") and len(_path(hook)) == len("/v1/hooks/in/ih_") + 43
    assert hook["secret"] not in str(table_items("InboundHookAddress"))  # sealed, not stored in the clear
    read = client.get(f"{HOOKS}/{hook['id']}", headers=tenant_a.auth).json()
    assert "secret" not in read and read == {k: hook[k] for k in read}


def test_list_pages_with_a_cursor(client: TestClient, tenant_a: Tenant) -> None:
    made = [_create(client, tenant_a, f"hook {n}")["id"] for n in range(3)]
    first = client.get(HOOKS, params={"limit": 2}, headers=tenant_a.auth).json()
    second = client.get(HOOKS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=tenant_a.auth).json()
    assert [h["id"] for h in first["data"] + second["data"]] == made and second["next_cursor"] is None


def test_a_signed_call_becomes_one_event_and_a_replay_is_accepted_once(client: TestClient, tenant_a: Tenant) -> None:
    hook = _create(client, tenant_a)
    body = json.dumps(PAYLOAD)
    headers = _signed(hook["secret"], body)
    first = client.post(_path(hook), content=body, headers=headers)
    again = client.post(_path(hook), content=body, headers=headers)
    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == {"webhook_id": "msg_1", "duplicate": False} and again.json()["duplicate"] is True
    [event] = _received()
    assert event["tenant_id"] == tenant_a.id and event["actor"]["id"] == hook["id"]
    assert event["data"] == {"hook_id": hook["id"], "webhook_id": "msg_1", "payload": PAYLOAD}
    other = client.post(_path(hook), content=body, headers=_signed(hook["secret"], body, webhook_id="msg_2"))
    assert other.json()["duplicate"] is False and len(_received()) == 2


def test_unsigned_stale_tampered_and_foreign_calls_are_401_and_store_nothing(client: TestClient,
                                                                             tenant_a: Tenant) -> None:
    hook = _create(client, tenant_a)
    other = _create(client, tenant_a, "other")
    body = json.dumps(PAYLOAD)
    stale = _signed(hook["secret"], body, at=datetime.now(UTC) - timedelta(minutes=6))
    calls = [
        ({"content-type": "application/json"}, body),
        (stale, body),
        (_signed(hook["secret"], body), body.replace("a@example.com", "b@example.com")),
        (_signed(other["secret"], body), body),
        (_signed(hook["secret"], body) | {"webhook-signature": "v1,not base64!"}, body),
    ]
    for headers, sent in calls:
        response = client.post(_path(hook), content=sent, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert _received() == [] and table_items("Unique") == []


def test_unknown_and_malformed_ids_get_the_same_404(client: TestClient, tenant_a: Tenant) -> None:
    hook = _create(client, tenant_a)
    body = json.dumps(PAYLOAD)
    headers = _signed(hook["secret"], body)
    unknown = client.post("/v1/hooks/in/ih_" + "A" * 43, content=body, headers=headers)
    malformed = client.post("/v1/hooks/in/nothing", content=body, headers=headers)
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json()["detail"] == malformed.json()["detail"]


def test_a_deleted_hook_stops_answering(client: TestClient, tenant_a: Tenant) -> None:
    hook = _create(client, tenant_a)
    assert client.delete(f"{HOOKS}/{hook['id']}", headers=tenant_a.auth).status_code == 204
    assert client.get(f"{HOOKS}/{hook['id']}", headers=tenant_a.auth).status_code == 404
    body = json.dumps(PAYLOAD)
    assert client.post(_path(hook), content=body, headers=_signed(hook["secret"], body)).status_code == 404
    assert table_items("InboundHookAddress") == []


def test_large_and_non_json_payloads_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    hook = _create(client, tenant_a)
    large = json.dumps({"blob": "x" * MAX_PAYLOAD_BYTES})
    assert client.post(_path(hook), content=large, headers=_signed(hook["secret"], large)).status_code == 413
    text = "not json"
    assert client.post(_path(hook), content=text, headers=_signed(hook["secret"], text)).status_code == 400
    assert _received() == []


def test_another_tenant_cannot_see_or_delete_a_hook(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    hook = _create(client, tenant_a)
    assert client.get(f"{HOOKS}/{hook['id']}", headers=tenant_b.auth).status_code == 404
    assert client.delete(f"{HOOKS}/{hook['id']}", headers=tenant_b.auth).status_code == 404
    assert client.get(HOOKS, headers=tenant_b.auth).json()["data"] == []
    assert client.get(f"{HOOKS}/{hook['id']}", headers=tenant_a.auth).status_code == 200


def test_a_replayed_create_gives_the_same_hook_and_secret(client: TestClient, tenant_a: Tenant) -> None:
    headers = tenant_a.auth | {"Idempotency-Key": "hook-create-1"}
    first = client.post(HOOKS, json={"name": "CRM"}, headers=headers)
    again = client.post(HOOKS, json={"name": "CRM"}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json() and len(table_items("InboundHook")) == 1


def test_an_overlong_webhook_id_is_400(client: TestClient, tenant_a: Tenant) -> None:
    hook = _create(client, tenant_a)
    body = json.dumps(PAYLOAD)
    response = client.post(_path(hook), content=body, headers=_signed(hook["secret"], body, webhook_id="m" * 257))
    assert response.status_code == 400 and _received() == []
