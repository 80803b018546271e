"""Tenant B's credentials never see or change tenant A."""

import base64
import json

import pytest
from fastapi.testclient import TestClient

from atrium.identity.tokens import issue_access_token
from tests.api.conftest import Tenant


def test_each_token_sees_only_its_own_tenant(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["id"] == tenant_a.id
    assert client.get("/v1/tenant", headers=tenant_b.auth).json()["id"] == tenant_b.id


def test_b_renaming_changes_only_b(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    response = client.patch("/v1/tenant", json={"name": "B renamed"}, headers=tenant_b.auth | {"If-Match": '"1"'})
    assert response.status_code == 200 and response.json()["id"] == tenant_b.id
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["name"] == "Tenant A"


def test_a_token_for_a_tenant_that_does_not_exist_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    token = issue_access_token(user_id=tenant_a.user_id, tenant_id="ten_01M80NEQ8V8WMTDAMZFMBRHY14",
                               session_id="ses_x")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/tenant", headers=headers).status_code == 401
    assert client.patch("/v1/tenant", json={"name": "X"}, headers=headers | {"If-Match": '"1"'}).status_code == 401
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["name"] == "Tenant A"


def _with_claims(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps(claims | changes).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_a_token_edited_to_name_another_tenant_is_refused(client: TestClient, tenant_a: Tenant,
                                                           tenant_b: Tenant) -> None:
    forged = _with_claims(tenant_b.token, tid=tenant_a.id)
    response = client.get("/v1/tenant", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


@pytest.mark.parametrize("authorization", ["", "Bearer", "Bearer ", "Basic abc", "Bearer not.a.jwt", "Bearer a.b"])
def test_missing_or_bad_credentials_are_401(client: TestClient, tenant_a: Tenant, authorization: str) -> None:
    for method in ("GET", "PATCH"):
        response = client.request(method, "/v1/tenant", json={"name": "X"},
                                  headers={"Authorization": authorization, "If-Match": '"1"'})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["name"] == "Tenant A"


def test_a_reused_public_idempotency_key_reveals_nothing(client: TestClient) -> None:
    first = client.post("/v1/signup", json={"tenant_name": "A", "email": "a@example.com",
                                            "password": "correct horse battery staple"},
                        headers={"Idempotency-Key": "shared-key"})
    second = client.post("/v1/signup", json={"tenant_name": "B", "email": "b@example.com",
                                             "password": "correct horse battery staple"},
                         headers={"Idempotency-Key": "shared-key"})
    assert first.status_code == 201
    # A stranger reusing the key with another body learns nothing and gets nothing of the first.
    assert second.status_code == 422
    assert "ten_" not in second.text
