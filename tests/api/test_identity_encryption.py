"""Identity's email addresses are stored encrypted and found by their keyed blind index (kernel/store/blind_index.py):
users, their email pointers, memberships, invitations and their tokens show no address in the table, in keys or
values, and signing in, joining and the one-open-invitation rule still find them. The index is the same for the
same address within a tenant, differs between tenants and from the platform's, and survives a key rotation."""

import json

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.identity.members import invitation_emails
from atrium.identity.models import UserItem, email_index
from atrium.kernel import ids
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import data_keys
from atrium.kernel.store.field_encryption import UnreadableField
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.support.at_rest import table_items
from tests.support.invitations import invite

JOINED, PENDING = "joined.person@example.com", "pending.person@example.com"
# The outbox and the audit log carry events' and entries' own copies (encrypted by their own features).
NOT_IDENTITYS = {"Outbox", "Audit"}


def test_no_address_is_readable_in_the_table_and_every_lookup_still_finds_it(client: TestClient,
                                                                            tenant_a: Tenant) -> None:
    joined, pending = invite(client, tenant_a.auth, JOINED), invite(client, tenant_a.auth, PENDING)
    with tenant_scope(tenant_a.id):
        invitation_emails.issue_token(tenant_a.id, pending["id"])  # its token stays, unused
        token = invitation_emails.issue_token(tenant_a.id, joined["id"])
    assert token is not None
    accepted = client.post("/v1/invitations/accept", json={"token": token[0], "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text

    identity = [item for item in table_items() if item.get("entity", {}).get("S") not in NOT_IDENTITYS]
    assert {"User", "UserEmail", "Membership", "Invitation", "InvitationToken"} <= {i["entity"]["S"] for i in identity}
    stored = json.dumps(identity).lower()
    assert not any(address in stored for address in (tenant_a.email, JOINED, PENDING))
    pointers = [item["pk"]["S"] for item in identity if item["entity"]["S"] == "UserEmail"]
    assert len(pointers) == 2 and all(pk.startswith("G#UserEmail#bi1.") for pk in pointers)

    for email in (tenant_a.email.upper(), JOINED):  # signing in finds the address, in any case
        login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
    again = client.post("/v1/invitations", json={"email": PENDING.upper(), "roles": [{"role": "member"}]},
                        headers=tenant_a.auth)
    assert again.status_code == 409 and "open invitation" in again.json()["detail"]  # found by its index
    assert client.delete(f"/v1/invitations/{pending['id']}", headers=tenant_a.auth).status_code == 204
    assert invite(client, tenant_a.auth, PENDING)  # the revoke freed the index
    members = client.get("/v1/users", headers=tenant_a.auth).json()["data"]
    assert {member["email"] for member in members} == {tenant_a.email, JOINED}  # read back in the clear


def test_the_index_is_one_per_address_and_tenant_and_survives_a_rotation(aws: Provisioned) -> None:
    tenant, other = ids.new_id("ten"), ids.new_id("ten")
    with tenant_scope(other):
        in_other = email_index(JOINED, tenant_id=other)
    with tenant_scope(tenant):
        first = email_index(JOINED, tenant_id=tenant)
        assert email_index(f"  {JOINED.upper()} ", tenant_id=tenant) == first
        assert email_index(PENDING, tenant_id=tenant) != first
        uow = UnitOfWork(tenant, Ref(type="test", id="rotation"))
        assert data_keys.rotate(tenant, uow) == 2
        uow.record("compliance.data_key_rotated", subject=Ref(type="tenant", id=tenant), data={}, emit=False)
        uow.commit()
        data_keys.forget_held_keys()  # another process, after the rotation
        assert email_index(JOINED, tenant_id=tenant) == first
    assert len({first, in_other, email_index(JOINED)}) == 3  # the platform's differs from each tenant's


def test_a_global_items_ciphertext_moved_to_another_item_does_not_decrypt(client: TestClient) -> None:
    owner, other = signup(client), signup(client)
    raw = boto3.client("dynamodb", region_name=settings().region)
    table = settings().table_name
    source = raw.get_item(TableName=table, Key={"pk": {"S": f"G#User#{owner.user_id}"}, "sk": {"S": "#"}})["Item"]
    target = raw.get_item(TableName=table, Key={"pk": {"S": f"G#User#{other.user_id}"}, "sk": {"S": "#"}})["Item"]
    assert source["email"]["S"].startswith("fe1:1:")
    raw.put_item(TableName=table, Item={**target, "email": source["email"]})
    with pytest.raises(UnreadableField):
        UserItem.find(other.user_id)
    found = UserItem.find(owner.user_id)
    assert found is not None and found.email == owner.email
