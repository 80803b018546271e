"""Outbound webhook endpoints over the API: CRUD, validation, the signing secret and its rotation."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from standardwebhooks import Webhook, WebhookVerificationError

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium.webhooks import signing
from atrium.webhooks.models import WebhookEndpointItem
from tests.api.conftest import Tenant
from tests.support.people import add_member
from tests.support.step_up import stepped_up

PATH = "/v1/webhook-endpoints"
BODY = {"url": "https://example.com/hooks", "description": "Orders", "event_types": ["member.joined"]}


def _create(client: TestClient, tenant: Tenant, body: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> Any:
    return client.post(PATH, json=BODY if body is None else body, headers=tenant.auth | (headers or {}))


def _items() -> list[dict[str, Any]]:
    return list(boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"])


def test_create_returns_the_endpoint_its_location_and_a_secret_never_stored_in_clear(
        client: TestClient, tenant_a: Tenant) -> None:
    response = _create(client, tenant_a)
    assert response.status_code == 201, response.text
    endpoint = response.json()
    assert response.headers["location"] == f"{PATH}/{endpoint['id']}" and response.headers["etag"] == '"1"'
    assert {k: endpoint[k] for k in BODY} == BODY and endpoint["enabled"] is True
    assert endpoint["rate_limit_per_second"] is None and endpoint["id"].startswith("ep_")
    secret = endpoint["secret"]
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 32  # base64 of 24 bytes
    stored = str(_items())  # the item, its audit entry and its event
    assert secret not in stored and secret.removeprefix("whsec_") not in stored
    read = client.get(f"{PATH}/{endpoint['id']}", headers=tenant_a.auth)
    assert read.headers["etag"] == '"1"' and "secret" not in read.json()
    assert read.json() == {k: v for k, v in endpoint.items() if k != "secret"}


def test_the_secret_is_shown_to_holders_of_read_secret_only(client: TestClient, tenant_a: Tenant) -> None:
    endpoint = _create(client, tenant_a).json()
    shown = client.get(f"{PATH}/{endpoint['id']}/secret", headers=stepped_up(client, tenant_a.auth))
    assert shown.status_code == 200 and shown.json() == {"secret": endpoint["secret"],
                                                         "previous_secret_valid_until": None}
    member = add_member(tenant_a.id, "member")
    assert client.get(f"{PATH}/{endpoint['id']}/secret", headers=stepped_up(client, member.auth)).status_code == 403
    role = {"name": "hook-reader", "permissions": ["webhook_endpoints:read", "webhook_endpoints:read_secret"]}
    assert client.post("/v1/roles", json=role, headers=tenant_a.auth).status_code == 201
    reader = add_member(tenant_a.id, "hook-reader")
    reader_auth = stepped_up(client, reader.auth)
    assert client.get(f"{PATH}/{endpoint['id']}/secret", headers=reader_auth).json()["secret"] == endpoint["secret"]
    assert client.post(f"{PATH}/{endpoint['id']}/rotate-secret", headers=reader_auth).status_code == 403
    entries = client.get("/v1/audit-events", headers=tenant_a.auth).json()["data"]
    readers = [e["actor"]["id"] for e in entries if e["action"] == "webhook_endpoint.secret_read"]
    assert sorted(readers) == sorted([tenant_a.user_id, reader.user_id])


def test_create_honours_the_idempotency_key(client: TestClient, tenant_a: Tenant) -> None:
    first = _create(client, tenant_a, headers={"Idempotency-Key": "hook-create-1"})
    again = _create(client, tenant_a, headers={"Idempotency-Key": "hook-create-1"})
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and first.json()["secret"] not in str(_items())
    other = _create(client, tenant_a, {**BODY, "description": "Other"}, headers={"Idempotency-Key": "hook-create-1"})
    assert other.status_code == 422
    assert len(client.get(PATH, headers=tenant_a.auth).json()["data"]) == 1


@pytest.mark.parametrize(("url", "reason"), [
    ("http://example.com/hooks", "https"),
    ("ftp://example.com/hooks", "https"),
    ("https://user:pass@example.com/hooks", "credentials"),
    ("https://token@example.com/hooks", "credentials"),
    ("https:///hooks", "host"),
    ("https://example.com/hooks#part", "fragment"),
    ("https://example.com:99999/hooks", "not a URL"),
    ("https://exa mple.com/hooks", "spaces"),
    ("https://127.0.0.1/hooks", "loopback"),
    ("https://[::1]/hooks", "loopback"),
    ("https://169.254.169.254/latest/meta-data", "metadata"),
    ("https://2130706433/hooks", "non-standard form"),
    ("https://example.com/" + "a" * 2048, "at most 2048"),
])
def test_bad_urls_are_422(client: TestClient, tenant_a: Tenant, url: str, reason: str) -> None:
    response = _create(client, tenant_a, {"url": url})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "body.url" and reason in json.dumps(problem)


def test_http_is_accepted_where_allowed(client: TestClient, tenant_a: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "webhook_allow_http", True)
    assert _create(client, tenant_a, {"url": "http://example.com/hooks"}).status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"url": "https://example.com", "event_types": ["no.such_type"]}, "body.event_types"),
    ({"url": "https://example.com", "event_types": ["audit.entries_written"]}, "body.event_types"),
    ({"url": "https://example.com", "rate_limit_per_second": 0}, "body.rate_limit_per_second"),
    ({"url": "https://example.com", "rate_limit_per_second": 1001}, "body.rate_limit_per_second"),
    ({"url": "https://example.com", "secret": "whsec_mine"}, "body.secret"),
])
def test_bad_fields_are_422(client: TestClient, tenant_a: Tenant, body: dict[str, Any], field: str) -> None:
    response = _create(client, tenant_a, body)
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]


def test_update_needs_the_current_etag_and_changes_only_what_is_sent(client: TestClient, tenant_a: Tenant) -> None:
    endpoint = _create(client, tenant_a, {**BODY, "rate_limit_per_second": 5}).json()
    path = f"{PATH}/{endpoint['id']}"
    change = {"url": "https://hooks.example.org/in", "event_types": [], "enabled": False}
    assert client.patch(path, json=change, headers=tenant_a.auth).status_code == 428
    assert client.patch(path, json=change, headers=tenant_a.auth | {"If-Match": '"7"'}).status_code == 412
    updated = client.patch(path, json=change, headers=tenant_a.auth | {"If-Match": '"1"'})
    assert updated.status_code == 200 and updated.headers["etag"] == '"2"'
    assert updated.json() | change == updated.json()
    assert updated.json()["description"] == "Orders" and updated.json()["rate_limit_per_second"] == 5
    cleared = client.patch(path, json={"rate_limit_per_second": None}, headers=tenant_a.auth | {"If-Match": '"2"'})
    assert cleared.json()["rate_limit_per_second"] is None and cleared.json()["url"] == change["url"]
    bad = client.patch(path, json={"event_types": ["job.queued"]}, headers=tenant_a.auth | {"If-Match": '"3"'})
    assert bad.status_code == 422 and client.get(path, headers=tenant_a.auth).headers["etag"] == '"3"'


def test_list_pages_through_endpoints_without_secrets(client: TestClient, tenant_a: Tenant) -> None:
    made = [_create(client, tenant_a).json()["id"] for _ in range(3)]
    first = client.get(PATH, params={"limit": 2}, headers=tenant_a.auth).json()
    second = client.get(PATH, params={"limit": 2, "cursor": first["next_cursor"]}, headers=tenant_a.auth).json()
    assert [e["id"] for e in first["data"] + second["data"]] == made and second["next_cursor"] is None
    assert not any("secret" in e for e in first["data"] + second["data"])


def test_delete_removes_the_endpoint(client: TestClient, tenant_a: Tenant) -> None:
    endpoint = _create(client, tenant_a).json()
    assert client.delete(f"{PATH}/{endpoint['id']}", headers=tenant_a.auth).status_code == 204
    assert client.get(f"{PATH}/{endpoint['id']}", headers=tenant_a.auth).status_code == 404
    assert client.delete(f"{PATH}/{endpoint['id']}", headers=tenant_a.auth).status_code == 404


def test_changes_are_audited_without_the_secret(client: TestClient, tenant_a: Tenant) -> None:
    endpoint = _create(client, tenant_a).json()
    path = f"{PATH}/{endpoint['id']}"
    client.patch(path, json={"enabled": False}, headers=tenant_a.auth | {"If-Match": '"1"'})
    rotated = client.post(f"{path}/rotate-secret", headers=stepped_up(client, tenant_a.auth)).json()
    client.delete(path, headers=tenant_a.auth)
    entries = client.get("/v1/audit-events", headers=tenant_a.auth).json()["data"]
    actions = [e["action"] for e in entries if e["action"].startswith("webhook_endpoint.")]
    assert sorted(actions) == sorted(["webhook_endpoint.created", "webhook_endpoint.updated",
                                      "webhook_endpoint.secret_rotated", "webhook_endpoint.deleted"])
    stored = str(_items())
    assert endpoint["secret"] not in stored and rotated["secret"] not in stored


def _endpoint(tenant: Tenant, endpoint_id: str) -> WebhookEndpointItem:
    with tenant_scope(tenant.id):
        return WebhookEndpointItem.load(tenant.id, endpoint_id)


def _verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


def test_rotation_signs_with_both_secrets_for_the_grace_period_then_the_new_one_only(
        client: TestClient, tenant_a: Tenant) -> None:
    endpoint = _create(client, tenant_a).json()
    body = b'{"type":"member.joined","data":{}}'
    start = datetime.now(UTC)
    grace = settings().webhook_secret_rotation_grace_seconds
    with clock.frozen(start) as advance:
        auth = stepped_up(client, tenant_a.auth)
        rotated = client.post(f"{PATH}/{endpoint['id']}/rotate-secret", headers=auth)
        assert rotated.status_code == 200, rotated.text
        new = rotated.json()
        assert new["secret"] != endpoint["secret"]
        assert new["previous_secret_valid_until"] == clock.iso(start + timedelta(seconds=grace))
        assert client.get(f"{PATH}/{endpoint['id']}/secret", headers=auth).json() == new
        advance(grace - 1)
        # The reference library checks the timestamp against the real clock: sign at the real time.
        headers = signing.sign(_endpoint(tenant_a, endpoint["id"]), "msg_1", datetime.now(UTC), body)
        assert len(headers["webhook-signature"].split(" ")) == 2
        assert _verifies(new["secret"], headers, body) and _verifies(endpoint["secret"], headers, body)
        advance(1)
        headers = signing.sign(_endpoint(tenant_a, endpoint["id"]), "msg_2", datetime.now(UTC), body)
        assert _verifies(new["secret"], headers, body) and not _verifies(endpoint["secret"], headers, body)
        assert len(headers["webhook-signature"].split(" ")) == 1


def test_rotating_again_drops_the_older_secret_at_once(client: TestClient, tenant_a: Tenant) -> None:
    endpoint, auth = _create(client, tenant_a).json(), stepped_up(client, tenant_a.auth)
    second = client.post(f"{PATH}/{endpoint['id']}/rotate-secret", headers=auth).json()
    third = client.post(f"{PATH}/{endpoint['id']}/rotate-secret", headers=auth).json()
    body = b"{}"
    headers = signing.sign(_endpoint(tenant_a, endpoint["id"]), "msg_3", datetime.now(UTC), body)
    assert [_verifies(s, headers, body) for s in (endpoint["secret"], second["secret"], third["secret"])] == [
        False, True, True]


def test_endpoints_of_another_tenant_are_not_found(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    endpoint = _create(client, tenant_a).json()
    path = f"{PATH}/{endpoint['id']}"
    assert client.get(path, headers=tenant_b.auth).status_code == 404
    b_stepped_up = stepped_up(client, tenant_b.auth)
    assert client.get(f"{path}/secret", headers=b_stepped_up).status_code == 404
    assert client.post(f"{path}/rotate-secret", headers=b_stepped_up).status_code == 404
    assert client.patch(path, json={"enabled": False}, headers=tenant_b.auth | {"If-Match": '"1"'}).status_code == 404
    assert client.delete(path, headers=tenant_b.auth).status_code == 404
    assert client.get(PATH, headers=tenant_b.auth).json()["data"] == []
    shown = client.get(f"{path}/secret", headers=stepped_up(client, tenant_a.auth))
    assert shown.json()["secret"] == endpoint["secret"]
