"""A credential never carries more than its holder could grant: rotating a token needs every scope it holds,
and a token may do only what its scopes name and its creator may still do."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.identity.access_state import forget_cached_access
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member
from tests.support.step_up import stepped_up

ROTATOR = {"name": "rotator", "description": "Rotates tokens", "permissions": ["api_tokens:update"]}


def _token(client: TestClient, auth: dict[str, str], scopes: list[str]) -> dict[str, Any]:
    response = client.post("/v1/api-tokens", json={"name": "ci", "scopes": scopes}, headers=stepped_up(client, auth))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _set_roles(client: TestClient, owner: Tenant, member: Member, role: str) -> None:
    etag = client.get(f"/v1/users/{member.user_id}", headers=owner.auth).headers["etag"]
    response = client.patch(f"/v1/users/{member.user_id}", json={"roles": [{"role": role}]},
                            headers=owner.auth | {"If-Match": etag})
    assert response.status_code == 200, response.text


def test_a_rotate_only_role_cannot_rotate_a_token_carrying_more(client: TestClient, tenant_a: Tenant) -> None:
    owners = _token(client, tenant_a.auth, ["roles:create", "users:read"])
    assert client.post("/v1/roles", json=ROTATOR, headers=tenant_a.auth).status_code == 201
    rotator = add_member(tenant_a.id, "rotator")

    refused = client.post(f"/v1/api-tokens/{owners['id']}/rotate", headers=stepped_up(client, rotator.auth))

    assert refused.status_code == 403 and "secret" not in refused.json()
    assert "roles:create" in refused.json()["detail"]
    assert client.get("/v1/users", headers=_bearer(owners["secret"])).status_code == 200  # the old one still works


def test_whoever_holds_every_scope_may_rotate(client: TestClient, tenant_a: Tenant) -> None:
    owners = _token(client, tenant_a.auth, ["users:read"])
    admin = add_member(tenant_a.id, "admin")

    rotated = client.post(f"/v1/api-tokens/{owners['id']}/rotate", headers=stepped_up(client, admin.auth))

    assert rotated.status_code == 200, rotated.text
    assert client.get("/v1/users", headers=_bearer(rotated.json()["secret"])).status_code == 200


def test_a_token_loses_what_its_creator_loses(client: TestClient, tenant_a: Tenant) -> None:
    admin = add_member(tenant_a.id, "admin")
    token = _token(client, admin.auth, ["api_tokens:read", "users:read"])
    assert client.get("/v1/api-tokens", headers=_bearer(token["secret"])).status_code == 200

    _set_roles(client, tenant_a, admin, "viewer")  # viewers read users, not tokens
    forget_cached_access()

    assert client.get("/v1/api-tokens", headers=_bearer(token["secret"])).status_code == 403
    assert client.get("/v1/users", headers=_bearer(token["secret"])).status_code == 200


def test_a_removed_or_deactivated_creators_token_authenticates_nothing(client: TestClient, tenant_a: Tenant) -> None:
    removed, deactivated = add_member(tenant_a.id, "admin"), add_member(tenant_a.id, "admin")
    tokens = {member.user_id: _token(client, member.auth, ["users:read"]) for member in (removed, deactivated)}

    assert client.delete(f"/v1/users/{removed.user_id}", headers=tenant_a.auth).status_code == 204
    etag = client.get(f"/v1/users/{deactivated.user_id}", headers=tenant_a.auth).headers["etag"]
    assert client.patch(f"/v1/users/{deactivated.user_id}", json={"status": "deactivated"},
                        headers=tenant_a.auth | {"If-Match": etag}).status_code == 200
    forget_cached_access()

    for token in tokens.values():
        assert client.get("/v1/users", headers=_bearer(token["secret"])).status_code == 401


def test_removing_a_member_revokes_their_tokens(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    leaving, staying = add_member(tenant_a.id, "admin"), add_member(tenant_a.id, "admin")
    theirs = [_token(client, leaving.auth, ["users:read"]) for _ in range(2)]
    kept = _token(client, staying.auth, ["users:read"])

    assert client.delete(f"/v1/users/{leaving.user_id}", headers=tenant_a.auth).status_code == 204
    worker.drain()

    listed = client.get("/v1/api-tokens", headers=tenant_a.auth).json()["data"]
    assert [token["id"] for token in listed] == [kept["id"]]
    for token in theirs:
        assert client.get(f"/v1/api-tokens/{token['id']}", headers=tenant_a.auth).status_code == 404
    revoked = client.get("/v1/audit-events", params={"action": "api_token.revoked"}, headers=tenant_a.auth).json()
    assert sorted(entry["targets"][0]["id"] for entry in revoked["data"]) == sorted(t["id"] for t in theirs)
