"""Scoped role grants: a role an app declares in ``ROLE_SCOPES`` (the fieldwork app's ``customer``) is granted with
the id of the one record it is confined to; the grant shows it, and the member's principal (and their API tokens')
carries it."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.identity.access_state import forget_cached_access
from atrium.identity.authorizer import authenticate
from atrium.kernel import ids
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant
from tests.support.invitations import emailed_tokens
from tests.support.outbox import outbox_items
from tests.support.people import add_member
from tests.support.step_up import stepped_up

CUSTOMER = ids.new_id("cus")


def _patch_roles(client: TestClient, tenant: Tenant, user_id: str, roles: list[dict[str, Any]]) -> Any:
    etag = client.get(f"/v1/users/{user_id}", headers=tenant.auth).headers["etag"]
    return client.patch(f"/v1/users/{user_id}", json={"roles": roles}, headers=tenant.auth | {"If-Match": etag})


def _invite(client: TestClient, tenant: Tenant, roles: list[dict[str, Any]], email: str = "client@example.com") -> Any:
    return client.post("/v1/invitations", json={"email": email, "roles": roles}, headers=tenant.auth)


def _refused_fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@pytest.mark.parametrize(("roles", "field"), [
    ([{"role": "customer"}], "body.roles.0.scope"),  # a scoped role needs its record
    ([{"role": "customer", "scope": ids.new_id("usr")}], "body.roles.0.scope"),  # of the declared kind
    ([{"role": "customer", "scope": "cus_not-an-id"}], "body.roles.0.scope"),
    ([{"role": "viewer", "scope": CUSTOMER}], "body.roles.0.scope"),  # an unscoped role takes none
    ([{"role": "viewer"}, {"role": "customer", "scope": CUSTOMER}], "body.roles"),  # a customer is not also staff
])
def test_granting_refuses_a_wrong_scope_or_a_scoped_role_beside_another(
        client: TestClient, tenant_a: Tenant, roles: list[dict[str, Any]], field: str) -> None:
    member = add_member(tenant_a.id, "viewer")
    assert field in _refused_fields(_patch_roles(client, tenant_a, member.user_id, roles))
    assert field in _refused_fields(_invite(client, tenant_a, roles))
    assert client.get(f"/v1/users/{member.user_id}", headers=tenant_a.auth).json()["roles"][0]["role"] == "viewer"


def test_a_scoped_grant_shows_its_scope_in_the_member_and_the_event(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "viewer")
    response = _patch_roles(client, tenant_a, member.user_id, [{"role": "customer", "scope": CUSTOMER}])
    assert response.status_code == 200, response.text
    granted = {"role": "customer", "expires_at": None, "granted_by": tenant_a.user_id, "scope": CUSTOMER}
    assert response.json()["roles"] == [granted]
    listed = client.get("/v1/users", headers=tenant_a.auth).json()["data"]
    assert next(m for m in listed if m["id"] == member.user_id)["roles"] == [granted]
    updated = [json.loads(item["envelope"]["S"]) for item in outbox_items()
               if item["event_type"]["S"] == "member.updated"]
    data = next(event["data"] for event in updated if event["subject"]["id"] == member.user_id)
    assert data["roles"] == [{"role": "customer", "expires_at": None, "scope": CUSTOMER}]
    assert data["previous_roles"] == [{"role": "viewer", "expires_at": None, "scope": None}]


def test_moving_a_customer_user_to_another_customer_changes_the_grant(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "customer", scope=CUSTOMER)
    other = ids.new_id("cus")
    response = _patch_roles(client, tenant_a, member.user_id, [{"role": "customer", "scope": other}])
    assert response.status_code == 200, response.text
    assert [grant["scope"] for grant in response.json()["roles"]] == [other]
    forget_cached_access()
    assert client.get("/v1/me", headers=member.auth).json()["scope"] == other


def test_an_invitation_shows_its_scope_and_its_member_is_confined(client: TestClient, worker: Worker,
                                                                  tenant_a: Tenant) -> None:
    response = _invite(client, tenant_a, [{"role": "customer", "scope": CUSTOMER}])
    assert response.status_code == 201, response.text
    assert response.json()["roles"] == [{"role": "customer", "expires_at": None, "granted_by": tenant_a.user_id,
                                         "scope": CUSTOMER}]
    listed = client.get("/v1/invitations", headers=tenant_a.auth).json()["data"]
    assert [grant["scope"] for grant in listed[0]["roles"]] == [CUSTOMER]
    worker.drain()
    accepted = client.post("/v1/invitations/accept", json={"token": emailed_tokens("client@example.com")[0],
                                                           "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {accepted.json()['access_token']}"}).json()
    assert me["roles"] == ["customer"] and me["scope"] == CUSTOMER
    assert client.get("/v1/me", headers=tenant_a.auth).json()["scope"] is None


def test_an_api_token_of_a_member_who_becomes_a_customer_user_is_confined_too(client: TestClient,
                                                                              tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    created = client.post("/v1/api-tokens", json={"name": "mine", "scopes": ["tenant:read"]},
                          headers=stepped_up(client, member.auth))
    assert created.status_code == 201, created.text
    bearer = f"Bearer {created.json()['secret']}"
    assert authenticate(bearer).scope is None
    assert _patch_roles(client, tenant_a, member.user_id, [{"role": "customer", "scope": CUSTOMER}]).status_code == 200
    forget_cached_access()
    principal = authenticate(bearer)
    assert principal.scope == CUSTOMER and principal.permissions == {"tenant:read"}
