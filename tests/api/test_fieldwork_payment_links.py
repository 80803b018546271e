"""An invoice's payment link, against the Stripe fake: the customer pays the balance on Stripe's page and the
completed session marks the invoice paid exactly once, however Stripe's events arrive; a payment beyond the balance
is an overpayment to refund; the link goes to the tenant's connected account when it has one; a session Atrium did
not make pays nothing."""

import json
from typing import Any

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.invoices.online_payments import record_stripe_payment
from atrium.apps.fieldwork.invoices.testing import INVOICES, a_draft_invoice, a_sent_invoice, payment
from atrium.billing.payments.completion import complete_payment
from atrium.kernel import ids
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from atrium_local.stripe_fake.account import Object
from atrium_local.stripe_fake.events import ordered
from atrium_local.stripe_fake.server import StripeFakeServer
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.invitations import event_types
from tests.support.outbox import outbox_items
from tests.support.people import add_member
from tests.support.step_up import stepped_up
from tests.support.stripe_webhook import stripe_event_envelope

ACCOUNT = "/v1/billing/payment-account"


def _read(client: TestClient, auth: dict[str, str], invoice_id: str) -> dict[str, Any]:
    response = client.get(f"{INVOICES}/{invoice_id}", headers=auth)
    assert response.status_code == 200, response.text
    invoice: dict[str, Any] = response.json()
    return invoice


def _link(client: TestClient, auth: dict[str, str], invoice_id: str, status: int = 200) -> dict[str, Any]:
    response = client.post(f"{INVOICES}/{invoice_id}/payment-link", headers=auth)
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _if_match(client: TestClient, owner: Tenant, invoice_id: str) -> dict[str, str]:
    return owner.auth | {"If-Match": client.get(f"{INVOICES}/{invoice_id}", headers=owner.auth).headers["etag"]}




def _complete_payments(*stripe_events: Object) -> None:
    """billing.complete_payment's handler, as its consumer runs it."""
    with tenant_scope(PLATFORM_TENANT_ID):
        for stripe_event in stripe_events:
            complete_payment(stripe_event_envelope(stripe_event))


def _payments_completed() -> list[dict[str, Any]]:
    envelopes = [json.loads(item["envelope"]["S"]) for item in outbox_items()]
    return [envelope for envelope in envelopes if envelope["type"] == "billing.payment_completed"]


def test_the_customer_pays_once_whatever_order_and_repeats_the_events_arrive_in(
        client: TestClient, tenant_a: Tenant, stripe_webhook: StripeFakeServer, worker: Worker) -> None:
    invoice_id = a_sent_invoice(client, tenant_a)
    invoice = _read(client, tenant_a.auth, invoice_id)
    payer = add_member(tenant_a.id, "customer", scope=invoice["customer_id"])
    link = _link(client, payer.auth, invoice_id)
    assert (link["amount_cents"], link["currency"]) == (invoice["balance_cents"], "usd")
    assert _link(client, tenant_a.auth, invoice_id) == link  # the open page is handed out again
    account = stripe_webhook.fake.account
    session = account.checkout_session(link["checkout_session_id"])
    assert session["_account"] is None and session["url"] == link["url"]  # the platform's: no account connected
    assert session["metadata"] == {"tenant_id": tenant_a.id, "reference_kind": "fieldwork.invoice",
                                   "reference_id": invoice_id}
    assert session["customer_email"] == invoice["bill_to"]["email"]

    # The tenant subscribes meanwhile: the payment's event arrives among the subscription's, last first, each twice.
    subscribing = client.post("/v1/billing/checkout", json={"plan": "professional", "interval": "month"},
                              headers=tenant_a.auth).json()["id"]
    events = [*account.complete_checkout(subscribing), *account.complete_checkout(session["id"])]
    assert stripe_webhook.fake.webhook is not None
    deliveries = stripe_webhook.fake.webhook.send_all(ordered(events, order="reversed", duplicate=True))
    assert {delivery.status for delivery in deliveries} == {200}
    worker.drain()
    paid = _read(client, payer.auth, invoice_id)
    assert (paid["status"], paid["balance_cents"], paid["overpayments"]) == ("paid", 0, [])
    [stripe_payment] = paid["payments"]
    assert stripe_payment["method"] == "stripe" and stripe_payment["amount_cents"] == invoice["balance_cents"]
    assert stripe_payment["reference"] == account.checkout_session(session["id"])["payment_intent"]
    assert client.get("/v1/billing/subscription", headers=tenant_a.auth).json()["plan"] == "professional"

    # Past the receiver's guard and the consumers' records of event ids: billing emits once, fieldwork records once.
    _complete_payments(events[-1])
    [completed] = _payments_completed()
    with tenant_scope(tenant_a.id):
        record_stripe_payment(Envelope.model_validate(completed | {"id": ids.new_id("evt")}))
    assert _read(client, tenant_a.auth, invoice_id)["updated_at"] == paid["updated_at"]  # not written again
    assert _link(client, payer.auth, invoice_id, 409)["invoice_status"] == "paid"


def test_a_payment_beyond_the_balance_is_kept_as_an_overpayment_to_refund(
        client: TestClient, tenant_a: Tenant, stripe_webhook: StripeFakeServer, worker: Worker) -> None:
    invoice_id = a_sent_invoice(client, tenant_a)
    first = _link(client, tenant_a.auth, invoice_id)
    check = client.post(f"{INVOICES}/{invoice_id}/payments", json=payment(2000), headers=tenant_a.auth)
    assert check.status_code == 201, check.text
    second = _link(client, tenant_a.auth, invoice_id)  # another balance: another page
    assert second["checkout_session_id"] != first["checkout_session_id"]
    assert second["amount_cents"] == first["amount_cents"] - 2000

    stripe_webhook.fake.complete_checkout(first["checkout_session_id"])  # the first page, for the old balance
    worker.drain()
    invoice = _read(client, tenant_a.auth, invoice_id)
    assert (invoice["status"], invoice["paid_cents"], invoice["overpaid_cents"]) == ("paid", invoice["total_cents"],
                                                                                     2000)
    assert [(p["method"], p["amount_cents"]) for p in invoice["payments"]] == [("check", 2000),
                                                                                ("stripe", second["amount_cents"])]
    stripe_webhook.fake.complete_checkout(second["checkout_session_id"])  # and the second page too
    worker.drain()
    invoice = _read(client, tenant_a.auth, invoice_id)
    assert (invoice["paid_cents"], invoice["overpaid_cents"]) == (invoice["total_cents"], first["amount_cents"])
    assert [p["amount_cents"] for p in invoice["overpayments"]] == [2000, second["amount_cents"]]
    assert event_types().count("fieldwork.invoice.overpaid") == 2 and event_types().count("fieldwork.invoice.paid") == 1


def test_no_link_for_a_draft_paid_or_void_invoice_nor_another_customers(client: TestClient,
                                                                          tenant_a: Tenant) -> None:
    draft_id = a_draft_invoice(client, tenant_a)
    assert _link(client, tenant_a.auth, draft_id, 409)["invoice_status"] == "draft"
    draft = _read(client, tenant_a.auth, draft_id)
    own = add_member(tenant_a.id, "customer", scope=draft["customer_id"])
    _link(client, own.auth, draft_id, 404)  # a draft is the office's
    void_id = a_sent_invoice(client, tenant_a)
    voided = client.post(f"{INVOICES}/{void_id}/void", json={"reason": "Wrong customer"},
                         headers=_if_match(client, tenant_a, void_id))
    assert voided.status_code == 200, voided.text
    assert _link(client, tenant_a.auth, void_id, 409)["invoice_status"] == "void"
    _link(client, own.auth, a_sent_invoice(client, tenant_a), 404)  # another customer's

    small = {key: draft["line_items"][0][key] for key in ("kind", "description", "assembly_id")} | {
        "quantity": 1, "unit_price_cents": 30}
    changed = client.patch(f"{INVOICES}/{draft_id}", json={"line_items": [small]},
                           headers=_if_match(client, tenant_a, draft_id))
    assert changed.status_code == 200, changed.text
    sent = client.post(f"{INVOICES}/{draft_id}/send", headers=_if_match(client, tenant_a, draft_id))
    assert sent.status_code == 200, sent.text
    assert "at least 0.50 USD" in _link(client, own.auth, draft_id, 409)["detail"]


def test_the_tenants_connected_account_takes_the_payments(client: TestClient, tenant_a: Tenant,
                                                          stripe_webhook: StripeFakeServer, worker: Worker) -> None:
    fake = stripe_webhook.fake.account
    invoice_id = a_sent_invoice(client, tenant_a)
    before = _link(client, tenant_a.auth, invoice_id)
    billing = add_member(tenant_a.id, "billing")
    manage = stepped_up(client, billing.auth)
    for account_id, reason in (("acct_1NotConnected", "not_connected"),
                               (fake.connect(charges_enabled=False)["id"], "charges_disabled")):
        refused = client.put(ACCOUNT, json={"stripe_account_id": account_id}, headers=manage)
        assert refused.status_code == 422, refused.text
        assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("body.stripe_account_id", reason)]
    office = fake.connect(business_name="Harbour Backflow Co.")["id"]
    chosen = client.put(ACCOUNT, json={"stripe_account_id": office}, headers=manage)
    assert chosen.status_code == 200, chosen.text
    assert client.get(ACCOUNT, headers=billing.auth).json() == {"stripe_account_id": office,
                                                                "business_name": "Harbour Backflow Co."}
    assert "billing.payment_account_changed" in event_types()

    link = _link(client, tenant_a.auth, invoice_id)
    assert link["checkout_session_id"] != before["checkout_session_id"]  # the page of the platform's is not reused
    assert fake.checkout_session(link["checkout_session_id"])["_account"] == office
    [delivery] = stripe_webhook.fake.complete_checkout(link["checkout_session_id"])
    assert delivery.status == 200 and fake.event(delivery.event_id)["account"] == office
    worker.drain()
    assert _read(client, tenant_a.auth, invoice_id)["status"] == "paid"


def test_only_a_session_atrium_made_for_the_tenant_pays_and_a_delayed_one_once_its_money_arrives(
        client: TestClient, tenant_a: Tenant, stripe_fake: StripeFakeServer) -> None:
    invoice_id = a_sent_invoice(client, tenant_a)
    link = _link(client, tenant_a.auth, invoice_id)
    fake = stripe_fake.fake.account
    metadata = fake.checkout_session(link["checkout_session_id"])["metadata"]
    line = {"quantity": 1, "price_data": {"currency": "usd", "unit_amount": link["amount_cents"]}}
    made_elsewhere = fake.create_checkout_session({"mode": "payment", "metadata": metadata, "line_items": [line]},
                                                  fake.connect()["id"])
    [forged] = fake.complete_checkout(made_elsewhere["id"])  # another account's, naming the tenant's invoice
    [genuine] = fake.complete_checkout(link["checkout_session_id"])
    paid_session = genuine["data"]["object"]
    other_account = genuine | {"account": "acct_1SomeoneElse"}
    other_amount = genuine | {"data": {"object": paid_session | {"amount_total": 100}}}
    # A bank debit: the session completes unpaid, and Stripe reports the money days later.
    unpaid = genuine | {"data": {"object": paid_session | {"payment_status": "unpaid", "payment_intent": None}}}
    arrived = genuine | {"id": "evt_1MoneyArrived", "type": "checkout.session.async_payment_succeeded"}
    _complete_payments(forged, other_account, other_amount, unpaid)
    assert _payments_completed() == []
    assert _link(client, tenant_a.auth, invoice_id)["checkout_session_id"] != link["checkout_session_id"]
    _complete_payments(arrived, genuine)
    assert [event["data"]["reference_id"] for event in _payments_completed()] == [invoice_id]
