from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from atrium.identity import tenants
from tests.api.conftest import PASSWORD, Tenant, signup


def test_health_reads_the_table(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_health_is_503_when_the_table_is_gone(client: TestClient) -> None:
    import boto3

    from atrium.kernel.config import settings

    dynamodb = boto3.client("dynamodb", region_name=settings().region)
    dynamodb.delete_table(TableName=settings().table_name)
    response = client.get("/v1/health")
    assert response.status_code == 503
    assert response.json()["title"] == "Service Unavailable"


def test_unknown_routes_and_methods_are_problems(client: TestClient) -> None:
    missing = client.get("/v1/nope")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    wrong_method = client.delete("/v1/signup")
    assert wrong_method.status_code == 405 and wrong_method.json()["status"] == 405


def test_an_unexpected_error_is_a_500_problem_without_a_trace(client: TestClient, tenant_a: Tenant,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(tenants, "get_tenant", explode)
    response = client.get("/v1/tenant", headers=tenant_a.auth)
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_jwks_publishes_the_key_that_verifies_tokens(client: TestClient, tenant_a: Tenant) -> None:
    jwks = client.get("/.well-known/jwks.json").json()
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(tenant_a.token)["kid"]]
    claims = jwt.decode(tenant_a.token, key.key, algorithms=["EdDSA"], audience="atrium-api")
    assert claims["tid"] == tenant_a.id and claims["sub"] == tenant_a.user_id


def test_same_idempotency_key_and_body_replays_the_response(client: TestClient) -> None:
    body = {"tenant_name": "Acme", "email": "idem@example.com", "password": PASSWORD}
    first = client.post("/v1/signup", json=body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/v1/signup", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == "/v1/tenant"


def test_same_idempotency_key_other_body_is_422(client: TestClient) -> None:
    body = {"tenant_name": "Acme", "email": "idem2@example.com", "password": PASSWORD}
    assert client.post("/v1/signup", json=body, headers={"Idempotency-Key": "k-2"}).status_code == 201
    other = client.post("/v1/signup", json=body | {"tenant_name": "Other"}, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422


def test_a_failed_request_frees_its_idempotency_key(client: TestClient) -> None:
    signup(client, email="taken@example.com")
    body = {"tenant_name": "Acme", "email": "taken@example.com", "password": PASSWORD}
    assert client.post("/v1/signup", json=body, headers={"Idempotency-Key": "k-3"}).status_code == 409
    retry = client.post("/v1/signup", json=body | {"email": "free@example.com"}, headers={"Idempotency-Key": "k-3"})
    assert retry.status_code == 201


@pytest.mark.parametrize("key", ["x" * 256, "tab\there"])
def test_malformed_idempotency_keys_are_400(client: TestClient, key: str) -> None:
    body = {"tenant_name": "Acme", "email": "k@example.com", "password": PASSWORD}
    assert client.post("/v1/signup", json=body, headers={"Idempotency-Key": key}).status_code == 400
