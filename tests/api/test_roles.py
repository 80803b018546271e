from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.identity.access.custom_roles import MAX_CUSTOM_ROLES
from atrium.identity.access.roles import BUILT_IN_ROLES
from atrium.identity.access_state import forget_cached_access
from atrium.identity.models import CUSTOM_ROLES_ID, CustomRolesItem
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from tests.api.conftest import Tenant
from tests.support.people import add_member

AUDITOR = {"name": "auditor", "description": "Reads the tenant", "permissions": ["tenant:read", "roles:read"]}


def _create(client: TestClient, tenant: Tenant | Any, body: dict[str, Any] | None = None) -> Any:
    return client.post("/v1/roles", json=body or AUDITOR, headers=tenant.auth)


def test_built_in_roles_are_listed_with_patterns_and_expanded_permissions(client: TestClient,
                                                                          tenant_a: Tenant) -> None:
    roles = {role["name"]: role for role in client.get("/v1/roles", headers=tenant_a.auth).json()["data"]}
    assert set(roles) == set(BUILT_IN_ROLES)
    assert roles["viewer"]["built_in"] is True
    assert roles["viewer"]["patterns"] == sorted(BUILT_IN_ROLES["viewer"])
    assert roles["viewer"]["permissions"] == ["assemblies:read", "certifications:read", "customers:read",
                                           "districts:read", "gauges:read", "invoices:read", "jobs:read",
                                           "permissions:read", "proofs:read", "roles:read", "sites:read",
                                           "submissions:read", "templates:read", "tenant:read", "test_reports:read",
                                           "users:read", "work_orders:read"]
    assert "tenant:update" in roles["admin"]["permissions"] and roles["admin"]["patterns"] == ["*"]
    # A scoped role names the kind of record its grants are confined to.
    assert {name: role["scope"] for name, role in roles.items() if role["scope"]} == {"customer": "cus"}


def test_create_read_list_a_custom_role(client: TestClient, tenant_a: Tenant) -> None:
    response = _create(client, tenant_a)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/v1/roles/auditor" and response.headers["etag"] == '"1"'
    role = response.json()
    assert role["built_in"] is False and role["permissions"] == ["roles:read", "tenant:read"]
    read = client.get("/v1/roles/auditor", headers=tenant_a.auth)
    assert read.json() == role and read.headers["etag"] == '"1"'
    names = [r["name"] for r in client.get("/v1/roles", headers=tenant_a.auth).json()["data"]]
    assert names == [*BUILT_IN_ROLES, "auditor"]
    assert client.get("/v1/roles/viewer", headers=tenant_a.auth).json()["built_in"] is True
    assert client.get("/v1/roles/nope", headers=tenant_a.auth).status_code == 404


def test_create_records_audit_and_event(client: TestClient, tenant_a: Tenant) -> None:
    _create(client, tenant_a)
    items = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    assert "role.created" in {i["action"]["S"] for i in items if i["entity"]["S"] == "Audit"}
    assert "role.created" in {i["event_type"]["S"] for i in items if i["entity"]["S"] == "Outbox"}


def test_names_and_permissions_are_validated(client: TestClient, tenant_a: Tenant) -> None:
    for name in ("Auditor", "a", "with space", "-lead", "x" * 41, "a--b"):
        assert _create(client, tenant_a, AUDITOR | {"name": name}).status_code == 422, name
    for permissions in ([], ["nope:read"], ["*"], ["users:*"]):
        assert _create(client, tenant_a, AUDITOR | {"permissions": permissions}).status_code == 422, permissions
    assert _create(client, tenant_a, AUDITOR | {"extra": 1}).status_code == 422
    assert _create(client, tenant_a, AUDITOR | {"name": "viewer"}).status_code == 409
    assert _create(client, tenant_a).status_code == 201
    assert _create(client, tenant_a).status_code == 409


def test_at_most_50_custom_roles(client: TestClient, tenant_a: Tenant) -> None:
    with tenant_scope(tenant_a.id):
        CustomRolesItem(tenant_id=tenant_a.id, id=CUSTOM_ROLES_ID, roles={
            f"role-{n}": {"description": "", "permissions": ["tenant:read"], "created_at": "x", "updated_at": "x",
                          "version": 1} for n in range(MAX_CUSTOM_ROLES)}).save()
    response = _create(client, tenant_a)
    assert response.status_code == 409 and "at most 50" in response.json()["detail"]


def test_nobody_grants_a_permission_they_do_not_hold(client: TestClient, tenant_a: Tenant) -> None:
    maker = {"name": "role-maker", "permissions": ["roles:create", "roles:read", "tenant:read"]}
    assert _create(client, tenant_a, maker).status_code == 201
    member = add_member(tenant_a.id, "role-maker")
    response = _create(client, member, AUDITOR | {"permissions": ["tenant:read", "tenant:update"]})
    assert response.status_code == 403 and "tenant:update" in response.json()["detail"]
    assert _create(client, member, AUDITOR).status_code == 201  # what it holds, it may grant


def test_a_member_with_a_custom_role_gets_exactly_its_permissions(client: TestClient, tenant_a: Tenant) -> None:
    _create(client, tenant_a)
    member = add_member(tenant_a.id, "auditor")
    assert client.get("/v1/me", headers=member.auth).json()["permissions"] == ["roles:read", "tenant:read"]
    assert client.get("/v1/tenant", headers=member.auth).status_code == 200
    assert client.get("/v1/roles", headers=member.auth).status_code == 200
    assert client.get("/v1/permissions", headers=member.auth).status_code == 403
    assert client.patch("/v1/tenant", json={"name": "X"}, headers=member.auth | {"If-Match": '"1"'}).status_code == 403


def test_patch_needs_if_match_and_changes_what_members_hold(client: TestClient, tenant_a: Tenant) -> None:
    _create(client, tenant_a)
    member = add_member(tenant_a.id, "auditor")
    assert client.get("/v1/permissions", headers=member.auth).status_code == 403
    change = {"permissions": ["permissions:read"]}
    assert client.patch("/v1/roles/auditor", json=change, headers=tenant_a.auth).status_code == 428
    stale = client.patch("/v1/roles/auditor", json=change, headers=tenant_a.auth | {"If-Match": '"7"'})
    assert stale.status_code == 412
    response = client.patch("/v1/roles/auditor", json=change, headers=tenant_a.auth | {"If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["etag"] == '"2"'
    assert response.json()["permissions"] == ["permissions:read"]
    assert response.json()["description"] == AUDITOR["description"]
    forget_cached_access()
    assert client.get("/v1/permissions", headers=member.auth).status_code == 200
    assert client.get("/v1/tenant", headers=member.auth).status_code == 403


def test_patch_refuses_escalation_built_ins_and_unknown_roles(client: TestClient, tenant_a: Tenant) -> None:
    _create(client, tenant_a, {"name": "editor", "permissions": ["roles:update", "roles:read"]})
    _create(client, tenant_a)
    editor = add_member(tenant_a.id, "editor")
    headers = editor.auth | {"If-Match": '"1"'}
    assert client.patch("/v1/roles/auditor", json={"permissions": ["tenant:update"]},
                        headers=headers).status_code == 403
    assert client.patch("/v1/roles/auditor", json={"description": "ok"}, headers=headers).status_code == 200
    owner = tenant_a.auth | {"If-Match": '"1"'}
    assert client.patch("/v1/roles/viewer", json={"description": "x"}, headers=owner).status_code == 409
    assert client.patch("/v1/roles/missing", json={"description": "x"}, headers=owner).status_code == 404


def test_delete_refuses_a_role_members_hold(client: TestClient, tenant_a: Tenant) -> None:
    _create(client, tenant_a)
    _create(client, tenant_a, AUDITOR | {"name": "unused"})
    add_member(tenant_a.id, "auditor")
    response = client.delete("/v1/roles/auditor", headers=tenant_a.auth)
    assert response.status_code == 409 and "still hold" in response.json()["detail"]
    assert client.delete("/v1/roles/unused", headers=tenant_a.auth).status_code == 204
    assert client.get("/v1/roles/unused", headers=tenant_a.auth).status_code == 404
    assert client.delete("/v1/roles/unused", headers=tenant_a.auth).status_code == 404
    assert client.delete("/v1/roles/owner", headers=tenant_a.auth).status_code == 409


def test_roles_of_another_tenant_are_not_found(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    _create(client, tenant_a)
    assert client.get("/v1/roles/auditor", headers=tenant_b.auth).status_code == 404
    headers = tenant_b.auth | {"If-Match": '"1"'}
    assert client.patch("/v1/roles/auditor", json={"description": "x"}, headers=headers).status_code == 404
    assert client.delete("/v1/roles/auditor", headers=tenant_b.auth).status_code == 404
    assert "auditor" not in {r["name"] for r in client.get("/v1/roles", headers=tenant_b.auth).json()["data"]}
    assert _create(client, tenant_b).status_code == 201  # names are per tenant
    assert client.get("/v1/roles/auditor", headers=tenant_a.auth).json()["description"] == AUDITOR["description"]
