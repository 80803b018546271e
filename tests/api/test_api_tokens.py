from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.identity.access import token_auth
from atrium.identity.access_state import forget_cached_access
from atrium.kernel import clock
from atrium.kernel.config import settings
from tests.api.conftest import Tenant
from tests.support.aws_hook import recording_aws_calls
from tests.support.operation_calls import is_rate_limit
from tests.support.people import add_member
from tests.support.step_up import stepped_up

READ_TENANT = {"name": "CI", "scopes": ["tenant:read"]}


def _create(client: TestClient, tenant: Any, body: dict[str, Any] | None = None) -> Any:
    return client.post("/v1/api-tokens", json=body or READ_TENANT, headers=stepped_up(client, tenant.auth))


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _items() -> list[dict[str, Any]]:
    return list(boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"])


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    forget_cached_access()


def test_create_shows_the_secret_once_and_stores_only_its_hash(client: TestClient, tenant_a: Tenant) -> None:
    response = _create(client, tenant_a)
    assert response.status_code == 201, response.text
    token = response.json()
    secret = token["secret"]
    assert secret.startswith("atr_live_" + tenant_a.id.removeprefix("ten_") + "_")
    assert token["prefix"] == f"{secret[:36]}…{secret[-4:]}" and token["scopes"] == ["tenant:read"]
    assert token["created_by"] == tenant_a.user_id and token["expires_at"] is None
    assert response.headers["location"] == f"/v1/api-tokens/{token['id']}"
    stored = str(_items())
    assert secret not in stored and secret[36:-4] not in stored
    assert _create(client, tenant_a).json()["prefix"] != token["prefix"]  # a tenant's tokens are told apart
    read = client.get(f"/v1/api-tokens/{token['id']}", headers=tenant_a.auth).json()
    assert "secret" not in read and read == {k: token[k] for k in read}


def test_a_replayed_create_returns_the_secret_but_the_table_never_holds_it(client: TestClient,
                                                                          tenant_a: Tenant) -> None:
    headers = stepped_up(client, tenant_a.auth) | {"Idempotency-Key": "9b2f8f0e-token-create"}
    first = client.post("/v1/api-tokens", json=READ_TENANT, headers=headers)
    again = client.post("/v1/api-tokens", json=READ_TENANT, headers=headers)
    assert first.status_code == again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    secret = first.json()["secret"]
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    stored = str(_items())
    assert secret not in stored and secret[36:-4] not in stored and first.headers["location"] not in stored


def test_a_token_calls_routes_within_its_scopes_only(client: TestClient, tenant_a: Tenant) -> None:
    secret = _create(client, tenant_a).json()["secret"]
    response = client.get("/v1/tenant", headers=_bearer(secret))
    assert response.status_code == 200 and response.json()["id"] == tenant_a.id
    denied = client.patch("/v1/tenant", json={"name": "X"}, headers=_bearer(secret) | {"If-Match": '"1"'})
    assert denied.status_code == 403 and "tenant:update" in denied.json()["detail"]
    assert client.get("/v1/me", headers=_bearer(secret)).status_code == 403  # SELF routes refuse tokens


def test_scopes_must_be_catalog_permissions_the_creator_holds(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    assert _create(client, member, READ_TENANT).status_code == 201
    refused = _create(client, member, READ_TENANT | {"scopes": ["tenant:update"]})
    assert refused.status_code == 403 and "tenant:update" in refused.json()["detail"]
    for scopes in ([], ["nope:read"], ["*"]):
        assert _create(client, tenant_a, READ_TENANT | {"scopes": scopes}).status_code == 422, scopes
    past = READ_TENANT | {"expires_at": "2000-01-01T00:00:00Z"}
    assert _create(client, tenant_a, past).status_code == 422
    assert _create(client, tenant_a, READ_TENANT | {"expires_at": "2099-01-01T00:00:00"}).status_code == 422


def test_a_token_cannot_create_tokens(client: TestClient, tenant_a: Tenant) -> None:
    secret = _create(client, tenant_a, {"name": "x", "scopes": ["api_tokens:create", "tenant:read"]}).json()["secret"]
    response = client.post("/v1/api-tokens", json=READ_TENANT, headers=_bearer(secret))
    assert response.status_code == 403


def test_create_is_idempotent(client: TestClient, tenant_a: Tenant) -> None:
    headers = stepped_up(client, tenant_a.auth) | {"Idempotency-Key": "token-1"}
    first = client.post("/v1/api-tokens", json=READ_TENANT, headers=headers)
    second = client.post("/v1/api-tokens", json=READ_TENANT, headers=headers)
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert len(client.get("/v1/api-tokens", headers=tenant_a.auth).json()["data"]) == 1


def test_list_pages_through_tokens_without_secrets(client: TestClient, tenant_a: Tenant) -> None:
    created = [_create(client, tenant_a, {"name": f"t{n}", "scopes": ["tenant:read"]}).json() for n in range(3)]
    first = client.get("/v1/api-tokens", params={"limit": 2}, headers=tenant_a.auth).json()
    assert [t["id"] for t in first["data"]] == [t["id"] for t in created[:2]] and first["next_cursor"]
    rest = client.get("/v1/api-tokens", params={"limit": 2, "cursor": first["next_cursor"]},
                      headers=tenant_a.auth).json()
    assert [t["id"] for t in rest["data"]] == [created[2]["id"]]
    assert all("secret" not in t for t in first["data"] + rest["data"])
    for params in ({"limit": 0}, {"limit": 101}):
        assert client.get("/v1/api-tokens", params=params, headers=tenant_a.auth).status_code == 422
    assert client.get("/v1/api-tokens", params={"cursor": "forged"}, headers=tenant_a.auth).status_code == 400
    assert client.get("/v1/api-tokens", params={"cursr": "x"}, headers=tenant_a.auth).status_code == 422


def test_rotation_keeps_the_old_secret_for_the_grace_period(client: TestClient, tenant_a: Tenant) -> None:
    token = _create(client, tenant_a).json()
    start = datetime.now(UTC)
    with clock.frozen(start) as advance:
        rotated = client.post(f"/v1/api-tokens/{token['id']}/rotate", headers=stepped_up(client, tenant_a.auth))
        assert rotated.status_code == 200, rotated.text
        new = rotated.json()
        assert new["secret"] != token["secret"] and new["id"] == token["id"]
        grace = settings().api_token_rotation_grace_seconds
        assert new["previous_secret_valid_until"] == clock.iso(start + timedelta(seconds=grace))
        advance(grace - 1)
        assert client.get("/v1/tenant", headers=_bearer(token["secret"])).status_code == 200
        assert client.get("/v1/tenant", headers=_bearer(new["secret"])).status_code == 200
        advance(1)  # cached or not, the old secret stops at the end of its grace period
        assert client.get("/v1/tenant", headers=_bearer(token["secret"])).status_code == 401
        forget_cached_access()
        assert client.get("/v1/tenant", headers=_bearer(token["secret"])).status_code == 401
        assert client.get("/v1/tenant", headers=_bearer(new["secret"])).status_code == 200


def test_rotating_again_ends_the_older_secret_at_once(client: TestClient, tenant_a: Tenant) -> None:
    token, auth = _create(client, tenant_a).json(), stepped_up(client, tenant_a.auth)
    second = client.post(f"/v1/api-tokens/{token['id']}/rotate", headers=auth).json()
    third = client.post(f"/v1/api-tokens/{token['id']}/rotate", headers=auth).json()
    forget_cached_access()
    assert client.get("/v1/tenant", headers=_bearer(token["secret"])).status_code == 401
    assert client.get("/v1/tenant", headers=_bearer(second["secret"])).status_code == 200
    assert client.get("/v1/tenant", headers=_bearer(third["secret"])).status_code == 200
    assert sum(1 for item in _items() if item["entity"]["S"] == "ApiTokenSecret") == 2


def test_revoke_stops_every_secret_within_the_cache_ttl(client: TestClient, tenant_a: Tenant) -> None:
    token = _create(client, tenant_a).json()
    rotated = client.post(f"/v1/api-tokens/{token['id']}/rotate", headers=stepped_up(client, tenant_a.auth)).json()
    start = datetime.now(UTC)
    with clock.frozen(start) as advance:
        for secret in (token["secret"], rotated["secret"]):
            assert client.get("/v1/tenant", headers=_bearer(secret)).status_code == 200
        assert client.delete(f"/v1/api-tokens/{token['id']}", headers=tenant_a.auth).status_code == 204
        advance(settings().access_cache_seconds)
        for secret in (token["secret"], rotated["secret"]):
            assert client.get("/v1/tenant", headers=_bearer(secret)).status_code == 401
    assert not [item for item in _items() if item["entity"]["S"] in {"ApiToken", "ApiTokenSecret"}]
    assert client.get(f"/v1/api-tokens/{token['id']}", headers=tenant_a.auth).status_code == 404


def test_an_expired_token_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    expiry = datetime.now(UTC) + timedelta(minutes=10)  # within the owner's access token's life
    token = _create(client, tenant_a, READ_TENANT | {"expires_at": expiry.isoformat()}).json()
    assert token["expires_at"] == clock.iso(expiry)
    with clock.frozen(expiry - timedelta(seconds=1)) as advance:
        assert client.get("/v1/tenant", headers=_bearer(token["secret"])).status_code == 200
        advance(1)
        assert client.get("/v1/tenant", headers=_bearer(token["secret"])).status_code == 401
        rotate = client.post(f"/v1/api-tokens/{token['id']}/rotate", headers=stepped_up(client, tenant_a.auth))
        assert rotate.status_code == 409


def test_a_suspended_tenants_tokens_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    secret = _create(client, tenant_a).json()["secret"]
    table = boto3.resource("dynamodb", region_name=settings().region).Table(settings().table_name)
    table.update_item(Key={"pk": f"T#{tenant_a.id}#Tenant#{tenant_a.id}", "sk": "#"},
                      UpdateExpression="SET #s = :s", ExpressionAttributeNames={"#s": "status"},
                      ExpressionAttributeValues={":s": "suspended"})
    assert client.get("/v1/tenant", headers=_bearer(secret)).status_code == 403


@pytest.mark.parametrize("secret", ["atr_live_", "atr_live_" + "0" * 26 + "_" + "a" * 43,
                                    "atr_live_ten_x_y", "atr_live_" + "0" * 26 + "_short"])
def test_malformed_or_unknown_secrets_are_401(client: TestClient, tenant_a: Tenant, secret: str) -> None:
    assert client.get("/v1/tenant", headers=_bearer(secret)).status_code == 401


def test_a_secret_edited_to_name_another_tenant_is_refused(client: TestClient, tenant_a: Tenant,
                                                           tenant_b: Tenant) -> None:
    secret = _create(client, tenant_b).json()["secret"]
    forged = secret.replace(tenant_b.id.removeprefix("ten_"), tenant_a.id.removeprefix("ten_"))
    assert client.get("/v1/tenant", headers=_bearer(forged)).status_code == 401


def test_last_used_is_written_at_most_once_per_five_minutes(client: TestClient, tenant_a: Tenant) -> None:
    token = _create(client, tenant_a).json()
    assert token["last_used_at"] is None
    path, auth = f"/v1/api-tokens/{token['id']}", _bearer(token["secret"])

    def last_used() -> str | None:
        value: str | None = client.get(path, headers=tenant_a.auth).json()["last_used_at"]
        return value

    start = datetime.now(UTC)
    with clock.frozen(start) as advance, recording_aws_calls() as calls:
        def updates() -> int:
            return sum(1 for call in calls if call.operation == "UpdateItem" and not is_rate_limit(call))

        assert client.get("/v1/tenant", headers=auth).status_code == 200
        advance(60)
        assert client.get("/v1/tenant", headers=auth).status_code == 200
        assert updates() == 1 and last_used() == clock.iso(start)  # two uses within 5 minutes: one write
        token_auth._recent_use.clear()  # another process, knowing nothing, tries; the condition refuses it
        assert client.get("/v1/tenant", headers=auth).status_code == 200
        assert updates() == 2 and last_used() == clock.iso(start)
        advance(300)
        assert client.get("/v1/tenant", headers=auth).status_code == 200
        assert updates() == 3 and last_used() == clock.iso(start + timedelta(seconds=360))


def test_api_tokens_of_another_tenant_are_not_found(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    token = _create(client, tenant_a).json()
    _create(client, tenant_a)  # a second token, so a page of one ends with a cursor
    path = f"/v1/api-tokens/{token['id']}"
    assert client.get(path, headers=tenant_b.auth).status_code == 404
    assert client.post(f"{path}/rotate", headers=stepped_up(client, tenant_b.auth)).status_code == 404
    assert client.delete(path, headers=tenant_b.auth).status_code == 404
    assert client.get("/v1/api-tokens", headers=tenant_b.auth).json()["data"] == []
    cursor_a = client.get("/v1/api-tokens", params={"limit": 1}, headers=tenant_a.auth).json()["next_cursor"]
    assert cursor_a  # a full page ends with a cursor, which is A's alone
    assert client.get("/v1/api-tokens", params={"cursor": cursor_a}, headers=tenant_b.auth).status_code == 400
    assert client.get("/v1/tenant", headers=_bearer(token["secret"])).json()["id"] == tenant_a.id
    assert client.get(path, headers=tenant_a.auth).status_code == 200
    assert client.get("/v1/api-tokens/not-an-id", headers=tenant_a.auth).status_code == 404
