import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from tests.api.conftest import Tenant
from tests.support.people import add_member


def _etag(client: TestClient, tenant: Tenant) -> str:
    return str(client.get("/v1/tenant", headers=tenant.auth).headers["etag"])


def test_get_tenant_returns_the_callers_tenant_with_an_etag(client: TestClient, tenant_a: Tenant) -> None:
    response = client.get("/v1/tenant", headers=tenant_a.auth)
    assert response.status_code == 200
    assert response.json()["id"] == tenant_a.id and response.json()["name"] == "Tenant A"
    assert response.headers["etag"] == '"1"'


def test_patch_with_if_match_renames_and_moves_the_etag(client: TestClient, tenant_a: Tenant) -> None:
    response = client.patch("/v1/tenant", json={"name": "Renamed"},
                            headers=tenant_a.auth | {"If-Match": _etag(client, tenant_a)})
    assert response.status_code == 200 and response.json()["name"] == "Renamed"
    assert response.headers["etag"] == '"2"'
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["name"] == "Renamed"


def test_patch_records_audit_and_event(client: TestClient, tenant_a: Tenant) -> None:
    client.patch("/v1/tenant", json={"name": "Renamed"}, headers=tenant_a.auth | {"If-Match": '"1"'})
    items = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    actions = sorted(i["action"]["S"] for i in items if i.get("entity", {}).get("S") == "Audit")
    events = sorted(i["event_type"]["S"] for i in items if i.get("entity", {}).get("S") == "Outbox")
    assert actions == events == ["tenant.created", "tenant.updated"]


def test_patch_without_if_match_is_428(client: TestClient, tenant_a: Tenant) -> None:
    response = client.patch("/v1/tenant", json={"name": "X"}, headers=tenant_a.auth)
    assert response.status_code == 428


def test_patch_with_a_stale_or_malformed_etag_is_412(client: TestClient, tenant_a: Tenant) -> None:
    stale = _etag(client, tenant_a)
    assert client.patch("/v1/tenant", json={"name": "One"}, headers=tenant_a.auth | {"If-Match": stale}).is_success
    for etag in (stale, "garbage", '"x"', "*"):
        response = client.patch("/v1/tenant", json={"name": "Two"}, headers=tenant_a.auth | {"If-Match": etag})
        assert response.status_code == 412, etag
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["name"] == "One"


def test_patch_validates_the_body(client: TestClient, tenant_a: Tenant) -> None:
    for body in ({}, {"name": ""}, {"name": "x" * 101}, {"name": "ok", "status": "suspended"}):
        response = client.patch("/v1/tenant", json=body, headers=tenant_a.auth | {"If-Match": '"1"'})
        assert response.status_code == 422, body


def test_a_viewer_can_read_but_not_rename(client: TestClient, tenant_a: Tenant) -> None:
    viewer = add_member(tenant_a.id, "viewer").auth
    assert client.get("/v1/tenant", headers=viewer).status_code == 200
    response = client.patch("/v1/tenant", json={"name": "X"}, headers=viewer | {"If-Match": '"1"'})
    assert response.status_code == 403
    assert response.json()["detail"] == "this action needs the permission tenant:update"
