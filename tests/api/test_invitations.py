"""Invitations: create, the email (through the worker), accept (new and existing accounts), expiry, single use,
revoke, grant rules, and tenant isolation."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.identity.members import invitation_emails
from atrium.identity.models import UserItem
from atrium.kernel import clock
from atrium.kernel.tenancy import tenant_scope
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant
from tests.support.invitations import emailed_tokens, event_types, invite, table_items
from tests.support.outbox import outbox_items
from tests.support.people import add_member

NEW = "new.person@example.com"


def _accept(client: TestClient, token: str, password: str | None = PASSWORD) -> tuple[int, dict[str, Any]]:
    body = {"token": token} | ({"password": password} if password else {})
    response = client.post("/v1/invitations/accept", json=body)
    return response.status_code, response.json()


def _invited_and_mailed(client: TestClient, worker: Worker, tenant: Tenant, email: str = NEW,
                        *roles: str) -> tuple[dict[str, Any], str]:
    invitation = invite(client, tenant.auth, email, *roles)
    worker.drain()
    tokens = emailed_tokens(email)
    assert len(tokens) == 1
    return invitation, tokens[0]


def test_create_answers_201_with_a_pending_invitation_for_seven_days(client: TestClient, tenant_a: Tenant) -> None:
    at = datetime.now(UTC).replace(microsecond=0)  # access tokens are checked on the same clock
    with clock.frozen(at):
        response = client.post("/v1/invitations", json={"email": "Mixed.Case@Example.com", "roles": [
            {"role": "viewer", "expires_at": "2030-06-01T00:00:00Z"}]}, headers=tenant_a.auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/invitations/{body['id']}"
    assert body["id"].startswith("inv_") and body["email"] == "mixed.case@example.com"
    assert body["status"] == "pending" and body["invited_by"] == tenant_a.user_id
    assert body["expires_at"] == clock.iso(at + timedelta(days=7))
    assert body["roles"] == [{"role": "viewer", "expires_at": "2030-06-01T00:00:00.000Z",
                              "granted_by": tenant_a.user_id, "scope": None}]
    assert "invitation.created" in event_types()


def test_a_new_person_accepts_through_the_email_and_becomes_a_member(client: TestClient, worker: Worker,
                                                                      tenant_a: Tenant) -> None:
    invitation, token = _invited_and_mailed(client, worker, tenant_a, NEW, "admin")
    mail = next(m for m in sent_mail() if m["to"] == NEW)
    assert "Tenant A" in mail["subject"] and token in mail["html"]
    # The token is nowhere in the table or the events: only its hash is stored.
    assert all(token not in json.dumps(item) for item in outbox_items() + table_items("Audit"))
    assert [item["natural_key"]["S"] for item in table_items("InvitationToken")] != [token]

    status, body = _accept(client, token)
    assert status == 200, body
    assert body["tenant"] == client.get("/v1/tenant", headers=tenant_a.auth).json()
    user = body["user"]
    assert isinstance(user, dict) and user["email"] == NEW
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get(f"/v1/users/{user['id']}", headers=auth)
    assert me.status_code == 200 and [r["role"] for r in me.json()["roles"]] == ["admin"]
    assert client.get("/v1/invitations", headers=tenant_a.auth).json()["data"] == []
    assert "member.joined" in event_types()
    assert invitation["id"] not in json.dumps(table_items("Invitation"))


def test_a_new_person_must_choose_a_strong_password(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    _, token = _invited_and_mailed(client, worker, tenant_a)
    status, body = _accept(client, token, password=None)
    assert status == 422 and body["errors"] == [
        {"field": "body.password", "message": "required: this email has no account yet"}]
    assert _accept(client, token, password="aaaaaaaa")[0] == 422
    assert _accept(client, token)[0] == 200  # the refusals spent nothing


def test_a_user_of_another_tenant_joins_without_a_password(client: TestClient, worker: Worker, tenant_a: Tenant,
                                                           tenant_b: Tenant) -> None:
    _, token = _invited_and_mailed(client, worker, tenant_a, tenant_b.email, "viewer")
    status, body = _accept(client, token, password=None)
    assert status == 200, body
    assert body["user"]["id"] == tenant_b.user_id
    assert body["tenant"]["id"] == tenant_a.id
    with tenant_scope(tenant_a.id):
        user = UserItem.find(tenant_b.user_id)
    assert user is not None and user.tenant_ids == [tenant_b.id, tenant_a.id]
    # Still the owner of B; now a viewer of A, with the new session.
    assert client.get("/v1/tenant", headers=tenant_b.auth).json()["id"] == tenant_b.id
    auth_a = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/v1/tenant", headers=auth_a).json()["id"] == tenant_a.id
    assert client.patch("/v1/tenant", json={"name": "X"}, headers=auth_a | {"If-Match": '"1"'}).status_code == 403


def test_an_existing_accounts_password_is_never_changed_by_accepting(client: TestClient, worker: Worker,
                                                                      tenant_a: Tenant, tenant_b: Tenant) -> None:
    _, token = _invited_and_mailed(client, worker, tenant_a, tenant_b.email)
    with tenant_scope(tenant_a.id):
        before = UserItem.find(tenant_b.user_id)
    assert _accept(client, token, password="another quite long passphrase")[0] == 200
    with tenant_scope(tenant_a.id):
        after = UserItem.find(tenant_b.user_id)
    assert before is not None and after is not None and after.password_hash == before.password_hash


def test_a_token_works_once(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    _, token = _invited_and_mailed(client, worker, tenant_a)
    assert _accept(client, token)[0] == 200
    status, body = _accept(client, token)
    assert status == 404 and "no open invitation" in str(body["detail"])


def test_an_unknown_token_is_404(client: TestClient, tenant_a: Tenant) -> None:
    assert _accept(client, "atr_inv_nothing")[0] == 404


def test_an_expired_invitation_is_gone(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    with clock.frozen(datetime.now(UTC)) as advance:
        invitation, token = _invited_and_mailed(client, worker, tenant_a)
        advance(7 * 24 * 3600 - 1)
        admin = add_member(tenant_a.id, "admin").auth  # the owner's access token has long expired
        listed = client.get("/v1/invitations", headers=admin).json()["data"]
        assert [i["status"] for i in listed] == ["pending"]
        advance(1)
        status, body = _accept(client, token)
        assert status == 410 and body["type"] == "urn:atrium:problem:gone"
        listed = client.get("/v1/invitations", headers=admin).json()["data"]
        assert [(i["id"], i["status"]) for i in listed] == [(invitation["id"], "expired")]
        # An expired invitation still holds its email until it is revoked.
        assert client.post("/v1/invitations", json={"email": NEW, "roles": [{"role": "member"}]},
                           headers=admin).status_code == 409
        assert client.delete(f"/v1/invitations/{invitation['id']}", headers=admin).status_code == 204
        invite(client, admin, NEW)


def test_revoking_kills_the_link_and_frees_the_email(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    invitation, token = _invited_and_mailed(client, worker, tenant_a)
    assert client.delete(f"/v1/invitations/{invitation['id']}", headers=tenant_a.auth).status_code == 204
    assert _accept(client, token)[0] == 404
    assert table_items("InvitationToken") == [] and table_items("Unique") == []
    assert client.get("/v1/invitations", headers=tenant_a.auth).json()["data"] == []
    assert client.delete(f"/v1/invitations/{invitation['id']}", headers=tenant_a.auth).status_code == 404
    assert "invitation.revoked" in event_types()
    invite(client, tenant_a.auth, NEW)


def test_a_revoked_invitation_sends_no_email(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    invitation = invite(client, tenant_a.auth, NEW)
    assert client.delete(f"/v1/invitations/{invitation['id']}", headers=tenant_a.auth).status_code == 204
    worker.drain()
    assert emailed_tokens(NEW) == []


def test_one_open_invitation_per_email_and_none_for_members(client: TestClient, tenant_a: Tenant) -> None:
    invite(client, tenant_a.auth, NEW)
    again = client.post("/v1/invitations", json={"email": NEW.upper(), "roles": [{"role": "viewer"}]},
                        headers=tenant_a.auth)
    assert again.status_code == 409 and "open invitation" in again.json()["detail"]
    member = add_member(tenant_a.id, "viewer")
    for email in (member.email, tenant_a.email):
        response = client.post("/v1/invitations", json={"email": email, "roles": [{"role": "viewer"}]},
                               headers=tenant_a.auth)
        assert response.status_code == 409 and "already a member" in response.json()["detail"]


def test_the_same_email_may_be_invited_by_two_tenants(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    invite(client, tenant_a.auth, NEW)
    invite(client, tenant_b.auth, NEW)


def test_invitations_follow_the_grant_rules(client: TestClient, tenant_a: Tenant) -> None:
    admin = add_member(tenant_a.id, "admin")
    member = add_member(tenant_a.id, "member")
    cases = [
        (admin.auth, [{"role": "owner"}], 403),
        (member.auth, [{"role": "viewer"}], 403),  # no invitations:create
        (tenant_a.auth, [{"role": "nobody"}], 422),
        (tenant_a.auth, [{"role": "viewer", "expires_at": "2001-01-01T00:00:00Z"}], 422),
        (tenant_a.auth, [], 422),
    ]
    for auth, roles, status in cases:
        response = client.post("/v1/invitations", json={"email": NEW, "roles": roles}, headers=auth)
        assert response.status_code == status, (roles, response.text)
    assert table_items("Invitation") == []
    assert client.post("/v1/invitations", json={"email": NEW, "roles": [{"role": "owner"}]},
                       headers=tenant_a.auth).status_code == 201


def test_only_the_latest_emailed_token_works_and_redelivery_sends_nothing(
        client: TestClient, worker: Worker, aws: Provisioned, tenant_a: Tenant) -> None:
    invitation, first = _invited_and_mailed(client, worker, tenant_a)
    # The same event delivered again: the consumer runtime has its id and skips it.
    outbox = next(i for i in outbox_items() if i["event_type"]["S"] == "invitation.created")
    queue = next(q for q in aws.consumers if q.spec.name == "members.send_invitation_email")
    boto3.client("sqs", region_name="us-east-1").send_message(
        QueueUrl=queue.queue_url, MessageBody=json.dumps({"detail": json.loads(outbox["envelope"]["S"])}))
    worker.drain()
    assert emailed_tokens(NEW) == [first]
    # A new token (a resend) replaces the first.
    with tenant_scope(tenant_a.id):
        issued = invitation_emails.issue_token(tenant_a.id, str(invitation["id"]))
    assert issued is not None
    assert _accept(client, first)[0] == 404
    assert _accept(client, issued[0])[0] == 200


def test_a_suspended_tenant_cannot_be_joined(client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    from atrium.identity.models import SUSPENDED, TenantItem

    _, token = _invited_and_mailed(client, worker, tenant_a)
    with tenant_scope(tenant_a.id):
        tenant = TenantItem.load(tenant_a.id, tenant_a.id)
        tenant.status = SUSPENDED
        tenant.save()
    assert _accept(client, token)[0] == 403
    assert len(table_items("Invitation")) == 1


def test_tenant_b_cannot_see_or_revoke_invitations_of_a(client: TestClient, worker: Worker, tenant_a: Tenant,
                                                        tenant_b: Tenant) -> None:
    invitation, token = _invited_and_mailed(client, worker, tenant_a)
    assert client.get("/v1/invitations", headers=tenant_b.auth).json()["data"] == []
    assert client.delete(f"/v1/invitations/{invitation['id']}", headers=tenant_b.auth).status_code == 404
    assert [i["id"] for i in client.get("/v1/invitations", headers=tenant_a.auth).json()["data"]] == [invitation["id"]]
    status, body = _accept(client, token)
    assert status == 200 and body["tenant"]["id"] == tenant_a.id


def test_lists_are_paginated(client: TestClient, tenant_a: Tenant) -> None:
    created = [invite(client, tenant_a.auth, f"p{n}@example.com")["id"] for n in range(3)]
    first = client.get("/v1/invitations?limit=2", headers=tenant_a.auth).json()
    second = client.get("/v1/invitations", params={"limit": 2, "cursor": first["next_cursor"]},
                        headers=tenant_a.auth).json()
    assert [i["id"] for i in first["data"] + second["data"]] == created
    assert client.get("/v1/invitations?limit=101", headers=tenant_a.auth).status_code == 422
