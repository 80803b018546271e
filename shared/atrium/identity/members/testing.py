"""Sample members and invitations, for the tests and the bench (``atrium.kernel.testing``): invitations made through
the API, their tokens minted as the invitation email mints them (without sending), members who joined with one."""

from itertools import count
from typing import Any

from fastapi.testclient import TestClient

from atrium.identity.members import invitation_emails
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup, created

MEMBER_PASSWORD = "correct horse battery staple"
_numbers = count(1)


def _new_invitation(role: str = "member") -> dict[str, Any]:
    return {"email": f"invitee{next(_numbers)}@example.com", "roles": [{"role": role}]}


def _invitation_id(client: TestClient, auth: dict[str, str], role: str = "member") -> str:
    response = client.post("/v1/invitations", json=_new_invitation(role), headers=auth)
    response.raise_for_status()
    return str(response.json()["id"])


def _accept_body(client: TestClient, auth: dict[str, str], tenant_id: str, password: str,
                 role: str = "member") -> dict[str, Any]:
    """What the emailed link of a new invitation carries, and the invitee's password."""
    with tenant_scope(tenant_id):
        issued = invitation_emails.issue_token(tenant_id, _invitation_id(client, auth, role))
    assert issued is not None
    return {"token": issued[0], "password": password}


def _member_id(client: TestClient, auth: dict[str, str], tenant_id: str, password: str, role: str = "member") -> str:
    """A new user who joined the tenant with ``role`` by accepting an invitation."""
    response = client.post("/v1/invitations/accept", json=_accept_body(client, auth, tenant_id, password, role))
    response.raise_for_status()
    return str(response.json()["user"]["id"])


def _a_viewer(client: TestClient, owner: Owner) -> str:
    """Not an owner: admins may act on it."""
    return _member_id(client, owner.auth, owner.id, MEMBER_PASSWORD, "viewer")


PATH_IDS: dict[str, IdFactory] = {
    "user_id": _a_viewer,
    "invitation_id": created("id", "/v1/invitations", {"email": "invited@example.com", "roles": [{"role": "viewer"}]}),
}


def _user_path(fixture: Fixture) -> str:
    return f"/v1/users/{_member_id(fixture.client, fixture.auth, fixture.tenant_id, fixture.password)}"


def _user_update(fixture: Fixture) -> Request:
    path = _user_path(fixture)
    return Request(body={"roles": [{"role": "viewer"}]}, headers={"If-Match": fixture.etag(path)}, path=path)


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "members.get_user": lambda fixture, _: Request(path=_user_path(fixture)),
    "members.update_user": lambda fixture, _: _user_update(fixture),
    "members.delete_user": lambda fixture, _: Request(path=_user_path(fixture)),
    "members.create_invitation": lambda _fixture, _: Request(body=_new_invitation()),
    "members.delete_invitation": lambda fixture, _: Request(
        path=f"/v1/invitations/{_invitation_id(fixture.client, fixture.auth)}"),
    "members.accept_invitation": lambda fixture, _: Request(
        body=_accept_body(fixture.client, fixture.auth, fixture.tenant_id, fixture.password)),
}

AWS_CALL_BUDGETS = {
    "members.update_user": CallBudget(4,
        "One consistent BatchGetItem (membership, tenant, custom roles) decides the change: If-Match, role names, "
        "escalation. Taking an active owner away adds a Query of the members and a consistent BatchGetItem of the "
        "other owners (the last owner rule); reactivating a member adds a GetItem of the subscription and, on a plan "
        "with a seat limit, COUNT Queries of the active members and the open invitations (which no reactivation of "
        "an owner needs with the owner rule)."),
    "members.delete_user": CallBudget(2,
        "One consistent BatchGetItem (membership, tenant, user): the user's tenant_ids is rewritten in the "
        "transaction. Removing an active owner adds a Query and a BatchGetItem (the last owner rule)."),
    "members.create_invitation": CallBudget(5,
        "One BatchGetItem (custom roles for the grant rules, the email's account); an email that has an account adds "
        "one GetItem of its membership (inviting a member is refused); the seats: a GetItem of the subscription and, "
        "on a plan with a seat limit, COUNT Queries of the active members and the open invitations."),
    "members.create_invitation + Idempotency-Key": CallBudget(7,
        "As members.create_invitation, plus the idempotency record claimed (PutItem) before and completed (PutItem) "
        "after."),
    "members.delete_invitation": CallBudget(2,
        "A consistent GetItem of the invitation (its email guard and token are deleted with it); once its email went "
        "out, one more GetItem reads the token item to delete it."),
    "members.accept_invitation": CallBudget(5,
        "GetItem of the token (hash -> tenant, invitation, email), then one BatchGetItem of invitation, tenant and the"
        " email's account; an existing account adds a GetItem of the user, whose tenant_ids the transaction rewrites;"
        " the seats: a GetItem of the subscription and, on a plan with a seat limit, a COUNT Query of the active "
        "members."),
}
