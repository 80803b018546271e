from fastapi.testclient import TestClient

from atrium.identity.access import catalog
from atrium.identity.access.roles import BUILT_IN_ROLES
from atrium.kernel.permissions import expand
from tests.api.conftest import Tenant
from tests.support.people import add_member


def test_me_shows_the_user_the_tenant_and_effective_permissions(client: TestClient, tenant_a: Tenant) -> None:
    response = client.get("/v1/me", headers=tenant_a.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"id": tenant_a.user_id, "email": tenant_a.email, "email_verified": False,
                            "mfa_enabled": False}
    assert body["tenant"] == {"id": tenant_a.id, "name": "Tenant A", "status": "active"}
    assert body["roles"] == ["owner"]
    assert body["permissions"] == sorted(catalog.permissions())


def test_a_viewer_sees_only_the_viewer_permissions(client: TestClient, tenant_a: Tenant) -> None:
    viewer = add_member(tenant_a.id, "viewer")
    body = client.get("/v1/me", headers=viewer.auth).json()
    assert body["user"]["id"] == viewer.user_id and body["roles"] == ["viewer"]
    assert body["permissions"] == sorted(expand(BUILT_IN_ROLES["viewer"], catalog.permissions()))
    assert "tenant:update" not in body["permissions"]


def test_me_is_for_signed_in_users_only(client: TestClient, tenant_a: Tenant) -> None:
    assert client.get("/v1/me").status_code == 401
    # A member with no role at all still sees who they are (SELF needs no permission).
    nobody = add_member(tenant_a.id)
    body = client.get("/v1/me", headers=nobody.auth).json()
    assert body["roles"] == [] and body["permissions"] == []


def test_each_tenant_sees_its_own_me(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    assert client.get("/v1/me", headers=tenant_b.auth).json()["tenant"]["id"] == tenant_b.id
    assert client.get("/v1/me", headers=tenant_a.auth).json()["user"]["id"] == tenant_a.user_id
