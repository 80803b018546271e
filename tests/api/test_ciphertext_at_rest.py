"""No personal value written is readable in the table or its stream (docs/encryption.md): an operator made, then a
tenant's day of work through the API and every consumer it wakes (events, audit chain, webhooks, mail, jobs), then
a raw read of everything the table holds and everything its stream carried."""

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.invoices.testing import a_sent_invoice
from atrium.apps.fieldwork.testing import ADDRESS, NEW_CUSTOMER
from atrium.identity.operator.accounts import create_operator
from atrium.identity.operator.roles import OPERATOR_ADMIN
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.support.at_rest import readable, stream_records, table_items
from tests.support.proofs import upload_version
from tests.support.webhook_receiver import Receiver

OWNER_EMAIL = "margot.lindqvist@lindqvist-backflow.example"
INVITEE_EMAIL = "kai.brandt@lindqvist-backflow.example"
OPERATOR_EMAIL = "ops.lead@atrium-staff.example"
CONTACT = {"name": "Dana Reyes", "email": "dana@harbour.example"}  # NEW_CUSTOMER's billing contact
COMMENT = "Margot, the logo is off by 2px; call me on (503) 555-0148"
# What the tenant wrote that is about a person: none of it may be readable at rest.
PERSONAL = (OWNER_EMAIL, INVITEE_EMAIL, OPERATOR_EMAIL, str(NEW_CUSTOMER["name"]), CONTACT["name"],
            CONTACT["email"], ADDRESS["line1"], "Margot, the logo", "555-0148")


def test_no_personal_value_is_readable_in_the_table_or_its_stream(
        client: TestClient, worker: Worker, receiver: Receiver) -> None:
    assert NEW_CUSTOMER["billing_contact"] == CONTACT  # the values looked for are those written
    create_operator(OPERATOR_EMAIL, OPERATOR_ADMIN, PASSWORD)
    owner: Tenant = signup(client, "Lindqvist Backflow", email=OWNER_EMAIL)
    endpoint = client.post("/v1/webhook-endpoints", json={"url": receiver.url}, headers=owner.auth)
    assert endpoint.status_code == 201, endpoint.text
    invited = client.post("/v1/invitations", json={"email": INVITEE_EMAIL, "roles": [{"role": "member"}]},
                          headers=owner.auth)
    assert invited.status_code == 201, invited.text
    a_sent_invoice(client, owner)  # a customer, site, assembly, work order, report, invoice, and its job
    proof = client.post("/v1/proofs", json={"title": "Spring flyer"}, headers=owner.auth).json()
    upload_version(client, owner, proof["id"])
    comment = client.post(f"/v1/proofs/{proof['id']}/comments", json={"body": COMMENT}, headers=owner.auth)
    assert comment.status_code == 201, comment.text
    worker.drain(timeout=60)

    assert receiver.received, "the webhook endpoint got the tenant's events"
    assert client.get(f"/v1/proofs/{proof['id']}/comments", headers=owner.auth).json()["data"][0]["body"] == COMMENT
    table, stream = table_items(), stream_records()
    assert len(table) > 50 and len(stream) >= len(table)  # the test read what was written
    assert readable(PERSONAL, table) == []
    assert readable(PERSONAL, stream) == []
