"""Set-up for the members context's operations in bench/aws_calls.py: a fresh invitation, its token, a member."""

from itertools import count
from typing import TYPE_CHECKING, Any

from atrium.identity.members import invitation_emails
from atrium.kernel.tenancy import tenant_scope
from bench.moto_world import PASSWORD

if TYPE_CHECKING:
    from bench.aws_calls import Fixture

_numbers = count(1)


def new_invitation(fixture: "Fixture", role: str = "member") -> dict[str, Any]:
    return {"email": f"invitee{next(_numbers)}@bench.example", "roles": [{"role": role}]}


def invitation_id(fixture: "Fixture") -> str:
    response = fixture.client.post("/v1/invitations", json=new_invitation(fixture), headers=fixture.auth)
    response.raise_for_status()
    return str(response.json()["id"])


def accept_body(fixture: "Fixture") -> dict[str, Any]:
    """What the emailed link carries (the token is minted as the invitation email does, without sending)."""
    tenant_id = fixture.client.get("/v1/tenant", headers=fixture.auth).json()["id"]
    with tenant_scope(tenant_id):
        issued = invitation_emails.issue_token(tenant_id, invitation_id(fixture))
    assert issued is not None
    return {"token": issued[0], "password": PASSWORD}


def member_id(fixture: "Fixture") -> str:
    response = fixture.client.post("/v1/invitations/accept", json=accept_body(fixture))
    response.raise_for_status()
    return str(response.json()["user"]["id"])
