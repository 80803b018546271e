from fastapi.testclient import TestClient

from atrium import manifest
from atrium.identity.access import catalog
from tests.api.conftest import Tenant
from tests.support.people import add_member


def test_the_committed_catalog_matches_the_route_registry() -> None:
    assert catalog.CATALOG_FILE.read_text() == catalog.render(), "run: python -m atrium.identity.access.catalog"


def test_catalog_lists_every_tenant_permission_with_its_operations(client: TestClient, tenant_a: Tenant) -> None:
    response = client.get("/v1/permissions", headers=tenant_a.auth)
    assert response.status_code == 200
    data = response.json()["data"]
    expected: dict[str, set[str]] = {}
    for spec in manifest.routes():
        if spec.in_catalog:
            expected.setdefault(spec.permission, set()).add(spec.operation_id)
    assert {entry["permission"]: set(entry["operation_ids"]) for entry in data} == expected
    assert [entry["permission"] for entry in data] == sorted(expected)
    assert "self" not in expected and "public" not in expected
    tenant_read = next(entry for entry in data if entry["permission"] == "tenant:read")
    assert tenant_read | {"operation_ids": []} == {"permission": "tenant:read", "resource": "tenant", "action": "read",
                                                   "description": "Read tenant", "operation_ids": []}


def test_catalog_needs_permissions_read(client: TestClient, tenant_a: Tenant) -> None:
    billing = add_member(tenant_a.id, "billing")
    assert client.get("/v1/permissions", headers=billing.auth).status_code == 403
    assert client.get("/v1/permissions", headers=add_member(tenant_a.id, "viewer").auth).status_code == 200
