from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.support.table_items import items_but_rate_windows


def _entities() -> list[str]:
    return sorted(i["entity"]["S"] for i in items_but_rate_windows() if "entity" in i)


def test_signup_creates_tenant_owner_and_tokens(client: TestClient) -> None:
    response = client.post("/v1/signup", json={"tenant_name": "  Acme  ", "email": "Owner@Example.com",
                                               "password": PASSWORD})
    assert response.status_code == 201
    assert response.headers["location"] == "/v1/tenant"
    body = response.json()
    assert body["tenant"]["id"].startswith("ten_") and body["tenant"]["name"] == "Acme"
    assert body["user"]["id"].startswith("usr_") and body["user"]["email"] == "owner@example.com"
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["refresh_token"].startswith("atr_rt_")
    tenant = client.get("/v1/tenant", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert tenant.status_code == 200 and tenant.json()["id"] == body["tenant"]["id"]


def test_signup_writes_everything_in_one_transaction(client: TestClient) -> None:
    signup(client)
    # The platform's keys (they seal the user's email) are made at their first use, the tenant's in the transaction.
    assert _entities() == ["Audit", "DataKeys", "Membership", "Outbox", "PlatformKeys", "RefreshToken", "Session",
                           "Tenant", "TenantDirectory", "UnverifiedOwner", "User", "UserEmail"]


def test_signup_sends_the_welcome_email(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    worker.drain()
    mails = sent_mail()
    assert [m["to"] for m in mails] == [tenant_a.email]
    assert "Tenant A" in mails[0]["subject"] and tenant_a.id in mails[0]["text"]
    assert "<strong>Tenant A</strong>" in mails[0]["html"]


def test_a_duplicate_email_is_a_conflict_and_creates_nothing(client: TestClient) -> None:
    signup(client, email="dup@example.com")
    before = _entities()
    response = client.post("/v1/signup", json={"tenant_name": "Other", "email": "DUP@example.com",
                                               "password": PASSWORD})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "an account with this email already exists"
    assert _entities() == before


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "a@example.com", "password": PASSWORD}, "body.tenant_name"),
    ({"tenant_name": "A", "email": "not-an-email", "password": PASSWORD}, "body.email"),
    ({"tenant_name": "A", "email": "a@example.com", "password": "short"}, "body.password"),
    ({"tenant_name": "A", "email": "a@example.com", "password": "aaaaaaaaaaaaaaaa"}, "body.password"),
    ({"tenant_name": "   ", "email": "a@example.com", "password": PASSWORD}, "body.tenant_name"),
    ({"tenant_name": "A" * 101, "email": "a@example.com", "password": PASSWORD}, "body.tenant_name"),
    ({"tenant_name": "A", "email": "a@example.com", "password": PASSWORD, "admin": True}, "body.admin"),
    ({"tenant_name": 7, "email": "a@example.com", "password": PASSWORD}, "body.tenant_name"),
])
def test_invalid_signups_are_422_with_field_errors(client: TestClient, body: dict[str, Any], field: str) -> None:
    response = client.post("/v1/signup", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["type"].startswith("urn:atrium:problem:")
    assert field in [error["field"] for error in problem["errors"]]
    assert _entities() == []


@pytest.mark.parametrize(("content", "content_type"), [
    (b"{not json", "application/json"), (b"\xff\xfe", "application/json"), (b"[1, 2]", "application/json"),
    (b"tenant_name=a", "application/x-www-form-urlencoded"), (b"", "application/json"),
])
def test_malformed_bodies_are_4xx_problems(client: TestClient, content: bytes, content_type: str) -> None:
    response = client.post("/v1/signup", content=content, headers={"content-type": content_type})
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text
