"""Members: list, read, change roles and status, remove; the grant rules, the last owner rule (also under a
race), expiring grants, and how soon a change reaches the member's access."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.identity.access_state import forget_cached_access
from atrium.identity.authorizer import authenticate
from atrium.identity.members import owners, roster
from atrium.identity.members.schemas import MemberUpdate, RoleGrantIn
from atrium.identity.models import CUSTOM_ROLES_ID, CustomRolesItem, MembershipItem, UserItem
from atrium.kernel import clock
from atrium.kernel.errors import AtriumError
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium.kernel.tenancy import tenant_scope
from tests.api.conftest import Tenant
from tests.support.invitations import event_types
from tests.support.people import Member, add_member


def _user(client: TestClient, auth: dict[str, str], user_id: str) -> Any:
    return client.get(f"/v1/users/{user_id}", headers=auth)


def _patch(client: TestClient, auth: dict[str, str], user_id: str, body: dict[str, Any],
           etag: str | None = None) -> Any:
    etag = etag or _user(client, auth, user_id).headers.get("etag", '"1"')
    return client.patch(f"/v1/users/{user_id}", json=body, headers=auth | {"If-Match": etag})


def _roles(client: TestClient, auth: dict[str, str], user_id: str) -> list[str]:
    return [grant["role"] for grant in _user(client, auth, user_id).json()["roles"]]


def _add_custom_roles(tenant_id: str, roles: dict[str, list[str]]) -> None:
    with tenant_scope(tenant_id):
        CustomRolesItem(tenant_id=tenant_id, id=CUSTOM_ROLES_ID, roles={
            name: {"description": name, "permissions": permissions} for name, permissions in roles.items()}).save()


def test_list_shows_every_member_with_roles_status_and_join_time(client: TestClient, tenant_a: Tenant) -> None:
    expiry = datetime(2099, 1, 1, tzinfo=UTC)
    viewer = add_member(tenant_a.id, "viewer", expires_at=expiry)
    response = client.get("/v1/users", headers=viewer.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    members = {member["id"]: member for member in body["data"]}
    assert set(members) == {tenant_a.user_id, viewer.user_id}
    assert members[viewer.user_id]["email"] == viewer.email and members[viewer.user_id]["status"] == "active"
    assert members[viewer.user_id]["roles"] == [{"role": "viewer", "expires_at": "2099-01-01T00:00:00.000Z",
                                                 "granted_by": None, "scope": None}]
    assert members[tenant_a.user_id]["roles"][0]["role"] == "owner"
    assert members[tenant_a.user_id]["joined_at"].endswith("Z")


def test_list_pages_with_a_cursor(client: TestClient, tenant_a: Tenant) -> None:
    added = [add_member(tenant_a.id, "viewer").user_id for _ in range(2)]
    first = client.get("/v1/users", params={"limit": 2}, headers=tenant_a.auth).json()
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = client.get("/v1/users", params={"limit": 2, "cursor": first["next_cursor"]}, headers=tenant_a.auth).json()
    assert {m["id"] for m in first["data"] + second["data"]} == {tenant_a.user_id, *added}
    assert client.get("/v1/users", params={"cursor": "forged.cursor"}, headers=tenant_a.auth).status_code == 400
    for params in ({"limit": 0}, {"limit": 101}, {"cursor": ""}, {"page": 2}):
        assert client.get("/v1/users", params=params, headers=tenant_a.auth).status_code == 422, params


def test_get_answers_the_member_with_an_etag_or_404(client: TestClient, tenant_a: Tenant) -> None:
    response = _user(client, tenant_a.auth, tenant_a.user_id)
    assert response.status_code == 200 and response.headers["etag"] == '"1"'
    assert response.json()["email"] == tenant_a.email
    for unknown in ("usr_01M80NEQ8V8WMTDAMZFMBRHY14", "not-an-id", "usr_%23x"):
        assert _user(client, tenant_a.auth, unknown).status_code == 404


def test_patch_replaces_roles_and_moves_the_etag(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    response = _patch(client, tenant_a.auth, member.user_id, {"roles": [{"role": "admin"}, {"role": "billing"}]})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    assert [(g["role"], g["granted_by"]) for g in response.json()["roles"]] == [
        ("admin", tenant_a.user_id), ("billing", tenant_a.user_id)]
    forget_cached_access()
    assert client.patch("/v1/tenant", json={"name": "By admin"}, headers=member.auth | {"If-Match": '"1"'}).is_success
    assert "member.updated" in event_types()


def test_patch_needs_a_current_if_match(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    path = f"/v1/users/{member.user_id}"
    assert client.patch(path, json={"status": "deactivated"}, headers=tenant_a.auth).status_code == 428
    assert client.patch(path, json={"status": "deactivated"},
                        headers=tenant_a.auth | {"If-Match": '"7"'}).status_code == 412
    assert _user(client, tenant_a.auth, member.user_id).json()["status"] == "active"


@pytest.mark.parametrize("body", [
    {}, {"roles": [{"role": "ghost"}]}, {"roles": [{"role": "viewer"}, {"role": "viewer"}]},
    {"roles": [{"role": "viewer", "expires_at": "2000-01-01T00:00:00Z"}]}, {"status": "suspended"},
    {"roles": [{"role": "viewer", "expires_at": "2099-01-01T00:00:00"}]},  # no time zone
])
def test_patch_refuses_invalid_changes_with_422(client: TestClient, tenant_a: Tenant, body: dict[str, Any]) -> None:
    member = add_member(tenant_a.id, "viewer")
    assert _patch(client, tenant_a.auth, member.user_id, body).status_code == 422
    assert _roles(client, tenant_a.auth, member.user_id) == ["viewer"]


def test_nobody_grants_what_they_do_not_hold(client: TestClient, tenant_a: Tenant) -> None:
    _add_custom_roles(tenant_a.id, {
        "people_manager": ["users:read", "users:update", "tenant:read", "roles:read", "permissions:read", "jobs:read",
                           "proofs:read", "templates:read", "customers:read", "sites:read", "districts:read",
                           "assemblies:read", "certifications:read", "gauges:read", "test_reports:read",
                           "submissions:read", "work_orders:read", "invoices:read"],
        # every permission a viewer holds
        "renamer": ["tenant:update"],
    })
    manager = add_member(tenant_a.id, "people_manager")
    admin = add_member(tenant_a.id, "admin")
    target = add_member(tenant_a.id, "member")
    refused = [(admin, {"roles": [{"role": "owner"}]}), (manager, {"roles": [{"role": "renamer"}]}),
               (manager, {"roles": [{"role": "admin"}]})]
    for caller, body in refused:
        response = _patch(client, caller.auth, target.user_id, body)
        assert response.status_code == 403, (body, response.text)
    assert _roles(client, tenant_a.auth, target.user_id) == ["member"]
    assert _patch(client, manager.auth, target.user_id, {"roles": [{"role": "viewer"}]}).status_code == 200
    assert _patch(client, admin.auth, target.user_id, {"roles": [{"role": "renamer"}]}).status_code == 200
    assert _patch(client, tenant_a.auth, target.user_id, {"roles": [{"role": "owner"}]}).status_code == 200


def test_only_owners_touch_owners(client: TestClient, tenant_a: Tenant) -> None:
    admin = add_member(tenant_a.id, "admin")
    other_owner = add_member(tenant_a.id, "owner")
    for body in ({"roles": [{"role": "admin"}]}, {"status": "deactivated"}):
        assert _patch(client, admin.auth, other_owner.user_id, body).status_code == 403
    assert client.delete(f"/v1/users/{other_owner.user_id}", headers=admin.auth).status_code == 403
    assert _patch(client, tenant_a.auth, other_owner.user_id, {"roles": [{"role": "admin"}]}).status_code == 200


def test_the_last_owner_cannot_leave_be_demoted_or_deactivated(client: TestClient, tenant_a: Tenant) -> None:
    owner = tenant_a.user_id
    for body in ({"roles": [{"role": "admin"}]}, {"status": "deactivated"},
                 {"roles": [{"role": "owner", "expires_at": "2099-01-01T00:00:00Z"}]}):
        response = _patch(client, tenant_a.auth, owner, body)
        assert response.status_code == 409, body
    assert client.delete(f"/v1/users/{owner}", headers=tenant_a.auth).status_code == 409
    # An owner whose grant expires, or who is deactivated, does not count.
    add_member(tenant_a.id, "owner", expires_at=datetime(2099, 1, 1, tzinfo=UTC))
    deactivated = add_member(tenant_a.id, "owner")
    assert _patch(client, tenant_a.auth, deactivated.user_id, {"status": "deactivated"}).status_code == 200
    assert client.delete(f"/v1/users/{owner}", headers=tenant_a.auth).status_code == 409
    # With a second active owner, the first may step down.
    add_member(tenant_a.id, "owner")
    assert _patch(client, tenant_a.auth, owner, {"roles": [{"role": "admin"}]}).status_code == 200


def _demote(owner: Member, target: str) -> None:
    principal = authenticate(owner.auth["Authorization"])
    with tenant_scope(owner.tenant_id):
        version = MembershipItem.load(owner.tenant_id, target, consistent=True).version or 0
        roster.update_member(principal, target, MemberUpdate(roles=[RoleGrantIn(role="admin")]), version,
                             RequestInfo())


def test_two_owners_demoting_each_other_at_once_leave_one_owner(client: TestClient, tenant_a: Tenant,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = add_member(tenant_a.id, "owner")
    second = add_member(tenant_a.id, "owner")
    assert client.delete(f"/v1/users/{tenant_a.user_id}", headers=first.auth).status_code == 204
    check = owners.ensure_another_owner
    racing: list[str] = []

    def check_then_let_the_other_request_commit(tenant_id: str, leaving: str) -> None:
        check(tenant_id, leaving)  # both owners are still there: the check passes
        if not racing:
            racing.append(leaving)
            _demote(second, first.user_id)  # the other request commits in between

    monkeypatch.setattr(roster, "ensure_another_owner", check_then_let_the_other_request_commit)
    with pytest.raises(AtriumError) as refused:
        _demote(first, second.user_id)
    assert refused.value.status in (409, 412)
    remaining = [m for m in client.get("/v1/users", headers=second.auth).json()["data"]
              if "owner" in [g["role"] for g in m["roles"]]]
    assert [m["id"] for m in remaining] == [second.user_id]


def test_an_expiring_grant_stops_counting_at_its_expiry_without_a_job(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    with clock.frozen(datetime.now(UTC)) as advance:
        expiry = clock.now() + timedelta(minutes=10)  # within the member's access token's life
        response = _patch(client, tenant_a.auth, member.user_id,
                          {"roles": [{"role": "viewer"}, {"role": "admin", "expires_at": expiry.isoformat()}]})
        assert response.status_code == 200
        forget_cached_access()
        rename = {"json": {"name": "Renamed"}, "headers": member.auth | {"If-Match": '"1"'}}
        assert client.patch("/v1/tenant", **rename).status_code == 200
        advance(600 + 31)  # past the expiry and the authorizer's cache
        rename["headers"] = member.auth | {"If-Match": '"2"'}
        assert client.patch("/v1/tenant", **rename).status_code == 403
        assert client.get("/v1/tenant", headers=member.auth).status_code == 200  # still a viewer


def test_deactivation_ends_access_within_the_cache_ttl_and_reactivation_restores_it(client: TestClient,
                                                                                   tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    with clock.frozen(datetime.now(UTC)) as advance:
        assert client.get("/v1/tenant", headers=member.auth).status_code == 200  # cached now
        assert _patch(client, tenant_a.auth, member.user_id, {"status": "deactivated"}).status_code == 200
        advance(31)
        response = client.get("/v1/tenant", headers=member.auth)
        assert response.status_code == 403 and "deactivated" in response.json()["detail"]
    assert _patch(client, tenant_a.auth, member.user_id, {"status": "active"}).status_code == 200
    forget_cached_access()
    assert client.get("/v1/tenant", headers=member.auth).status_code == 200


def test_delete_removes_the_membership_and_the_tenant_from_the_users_list(client: TestClient,
                                                                          tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    assert client.get("/v1/tenant", headers=member.auth).status_code == 200
    assert client.delete(f"/v1/users/{member.user_id}", headers=tenant_a.auth).status_code == 204
    assert _user(client, tenant_a.auth, member.user_id).status_code == 404
    with tenant_scope(tenant_a.id):
        user = UserItem.find(member.user_id)
    assert user is not None and user.tenant_ids == []
    forget_cached_access()
    assert client.get("/v1/tenant", headers=member.auth).status_code == 401
    assert client.delete(f"/v1/users/{member.user_id}", headers=tenant_a.auth).status_code == 404
    assert "member.removed" in event_types()


def test_a_member_may_leave_but_not_as_the_last_owner(client: TestClient, tenant_a: Tenant) -> None:
    _add_custom_roles(tenant_a.id, {"leaver": ["users:delete"]})
    member = add_member(tenant_a.id, "leaver")
    assert client.delete(f"/v1/users/{member.user_id}", headers=member.auth).status_code == 204
    assert client.delete(f"/v1/users/{tenant_a.user_id}", headers=tenant_a.auth).status_code == 409


def test_viewers_read_members_but_change_nothing(client: TestClient, tenant_a: Tenant) -> None:
    viewer = add_member(tenant_a.id, "viewer")
    assert client.get("/v1/users", headers=viewer.auth).status_code == 200
    assert _patch(client, viewer.auth, viewer.user_id, {"roles": [{"role": "admin"}]}).status_code == 403
    assert client.delete(f"/v1/users/{tenant_a.user_id}", headers=viewer.auth).status_code == 403


def test_tenant_b_cannot_see_change_or_remove_members_of_a(client: TestClient, tenant_a: Tenant,
                                                           tenant_b: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    before = _user(client, tenant_a.auth, member.user_id).json()
    assert [m["id"] for m in client.get("/v1/users", headers=tenant_b.auth).json()["data"]] == [tenant_b.user_id]
    for user_id in (member.user_id, tenant_a.user_id):
        assert _user(client, tenant_b.auth, user_id).status_code == 404
        assert _patch(client, tenant_b.auth, user_id, {"status": "deactivated"}, etag='"1"').status_code == 404
        assert client.delete(f"/v1/users/{user_id}", headers=tenant_b.auth).status_code == 404
    assert _user(client, tenant_a.auth, member.user_id).json() == before
    assert _user(client, tenant_a.auth, tenant_a.user_id).json()["status"] == "active"
