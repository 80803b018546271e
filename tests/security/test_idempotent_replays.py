"""A stored response is replayed only to the principal whose request stored it, after authentication and the
route's permission check, and each replay is audited. What the table keeps of a key opens nothing without the
platform's sealing secret."""

import hashlib
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.kernel.sealing import sealer
from tests.api.conftest import Tenant
from tests.support.people import add_member
from tests.support.step_up import stepped_up

TOKEN = {"name": "deploys", "scopes": ["tenant:read"]}
KEY = "owner-key-1"


def _audited(client: TestClient, tenant: Tenant, action: str) -> list[dict[str, Any]]:
    response = client.get("/v1/audit-events", params={"action": action}, headers=tenant.auth)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["data"]
    return entries


def _create_token(client: TestClient, auth: dict[str, str]) -> Any:
    return client.post("/v1/api-tokens", json=TOKEN, headers=stepped_up(client, auth) | {"Idempotency-Key": KEY})


def test_a_viewer_replaying_the_owners_key_gets_a_403_and_no_secret(client: TestClient, tenant_a: Tenant) -> None:
    first = _create_token(client, tenant_a.auth)
    assert first.status_code == 201, first.text
    viewer = add_member(tenant_a.id, "viewer")

    replay = _create_token(client, viewer.auth)

    assert replay.status_code == 403
    assert first.json()["secret"] not in replay.text and "idempotent-replayed" not in replay.headers
    denied = _audited(client, tenant_a, "access.denied")
    assert [(e["actor"]["id"], e["targets"][0]["id"]) for e in denied] == [(viewer.user_id, "access.create_api_token")]


def test_another_principal_with_the_permission_gets_its_own_result(client: TestClient, tenant_a: Tenant) -> None:
    first = _create_token(client, tenant_a.auth)
    admin = add_member(tenant_a.id, "admin")

    second = _create_token(client, admin.auth)

    assert second.status_code == 201 and "idempotent-replayed" not in second.headers
    assert second.json()["id"] != first.json()["id"] and second.json()["secret"] != first.json()["secret"]
    assert second.json()["created_by"] == admin.user_id


def test_the_same_principal_gets_the_replay_and_it_is_audited(client: TestClient, tenant_a: Tenant) -> None:
    first = _create_token(client, tenant_a.auth)
    replay = _create_token(client, tenant_a.auth)

    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()
    (entry,) = _audited(client, tenant_a, "idempotency.replayed")
    assert (entry["actor"]["id"], entry["targets"][0]["id"]) == (tenant_a.user_id, "access.create_api_token")


def test_the_table_holds_a_keyed_hash_and_a_seal_the_key_alone_cannot_open(client: TestClient,
                                                                             tenant_a: Tenant) -> None:
    assert _create_token(client, tenant_a.auth).status_code == 201
    table = boto3.client("dynamodb", region_name=settings().region)
    (record,) = [item for page in table.get_paginator("scan").paginate(TableName=settings().table_name)
                 for item in page["Items"] if item.get("entity", {}).get("S") == "Idempotency"]

    unkeyed = hashlib.sha256(f"access.create_api_token\n{KEY}".encode()).hexdigest()
    assert KEY not in str(record) and unkeyed not in str(record)
    sealed = record["response_sealed"]["S"].encode()
    assert not _opens(sealer(KEY, purpose="idempotent response"), sealed)


def _opens(seal: Any, sealed: bytes) -> bool:
    from cryptography.fernet import InvalidToken

    try:
        seal.decrypt(sealed)
    except InvalidToken:
        return False
    return True
