"""Fieldwork invoices: drafted once from a completed work order (which the same write invoices), numbered in order;
totals with tax on the taxable lines; a draft changed with If-Match; sending issues it with a due date and its job
stores the PDF with its SHA-256 and emails the billing contact; payments, partial or whole, never above the balance;
the daily move to overdue, once; voiding; the unpaid list by age and a customer's invoices, one Query a page."""

import datetime as dt
import hashlib
import io
from typing import Any

import boto3
from fastapi.testclient import TestClient
from pypdf import PdfReader

from atrium.apps.fieldwork.invoices import schedules
from atrium.apps.fieldwork.invoices.testing import a_completed_work_order, payment
from atrium.apps.fieldwork.testing import NEW_CUSTOMER, an_assembly, made_tester
from atrium.apps.fieldwork.workorders.testing import moved, new_work_order, schedule_body
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker, run_schedule
from tests.api.conftest import Tenant
from tests.support.aws_hook import recording_aws_calls
from tests.support.operation_calls import is_rate_limit
from tests.support.people import add_member

ROOT = "/v1/fieldwork"
INVOICES = f"{ROOT}/invoices"
TEST = {"kind": "test", "description": "Annual backflow test", "quantity": 1, "unit_price_cents": 8500}
PART = {"kind": "part", "description": "Relief valve rubber kit", "quantity": 2, "unit_price_cents": 4200}
TRIP = {"kind": "trip_charge", "description": "Trip charge", "quantity": 1, "unit_price_cents": 2500}
BILLING: dict[str, str] = NEW_CUSTOMER["billing_contact"]  # type: ignore[assignment]


def _completed(client: TestClient, owner: Tenant, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """A completed work order of a new assembly with ``lines``."""
    assembly_id = an_assembly(client, owner)
    customer_id = client.get(f"{ROOT}/assemblies/{assembly_id}", headers=owner.auth).json()["customer_id"]
    body = new_work_order(customer_id, assembly_id, line_items=[line | {"assembly_id": assembly_id}
                                                                if line["kind"] == "test" else line for line in lines])
    order = client.post(f"{ROOT}/work-orders", json=body, headers=owner.auth).json()
    moved(client, owner.auth, order["id"], "schedule", schedule_body(owner.user_id))
    for action in ("start", "complete"):
        moved(client, owner.auth, order["id"], action)
    return dict(client.get(f"{ROOT}/work-orders/{order['id']}", headers=owner.auth).json())


def _tester(client: TestClient, owner: Tenant) -> None:
    made_tester(client, owner.auth, owner.user_id)


def _invoice(client: TestClient, owner: Tenant, lines: list[dict[str, Any]], **body: Any) -> dict[str, Any]:
    order = _completed(client, owner, lines)
    response = client.post(INVOICES, json={"work_order_id": order["id"]} | body, headers=owner.auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _read(client: TestClient, owner: Tenant, invoice_id: str) -> Any:
    return client.get(f"{INVOICES}/{invoice_id}", headers=owner.auth)


def _with_etag(client: TestClient, owner: Tenant, invoice_id: str) -> dict[str, str]:
    return owner.auth | {"If-Match": _read(client, owner, invoice_id).headers["etag"]}


def _send(client: TestClient, owner: Tenant, invoice_id: str) -> dict[str, Any]:
    response = client.post(f"{INVOICES}/{invoice_id}/send", headers=_with_etag(client, owner, invoice_id))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _pay(client: TestClient, auth: dict[str, str], invoice_id: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(f"{INVOICES}/{invoice_id}/payments", json=body, headers=auth | headers)


def _unpaid(client: TestClient, auth: dict[str, str], **params: Any) -> Any:
    return client.get(f"{ROOT}/unpaid-invoices", params=params, headers=auth)


def _actions(client: TestClient, owner: Tenant) -> list[str]:
    events = client.get("/v1/audit-events", params={"limit": 100}, headers=owner.auth).json()["data"]
    return [event["action"] for event in events if event["action"].startswith("fieldwork.invoice.")]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_completed_work_order_is_invoiced_once_with_its_lines_and_tax(client: TestClient,
                                                                        tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    order = _completed(client, tenant_a, [TEST, PART, TRIP])
    body = {"work_order_id": order["id"], "tax_rate_percent": "8.875"}
    response = client.post(INVOICES, json=body, headers=tenant_a.auth | {"Idempotency-Key": "inv-1"})
    assert response.status_code == 201, response.text
    invoice = response.json()
    assert response.headers["location"] == f"{INVOICES}/{invoice['id']}" and response.headers["etag"]
    assert (invoice["number"], invoice["status"], invoice["work_order_id"], invoice["customer_id"]) == (
        "INV-000001", "draft", order["id"], order["customer_id"])
    assert invoice["bill_to"]["email"] == BILLING["email"] and invoice["customer_name"] == NEW_CUSTOMER["name"]
    assert [(line["kind"], line["taxable"], line["amount_cents"]) for line in invoice["line_items"]] == [
        ("test", False, 8500), ("part", True, 8400), ("trip_charge", False, 2500)]
    # 8.875% of the taxable 84.00 is 7.455: rounded half up, once, to 7.46
    assert (invoice["subtotal_cents"], invoice["taxable_subtotal_cents"], invoice["tax_cents"],
            invoice["total_cents"], invoice["balance_cents"]) == (19400, 8400, 746, 20146, 20146)
    assert invoice["tax_rate_percent"] == "8.875" and invoice["net_terms_days"] == 30

    replayed = client.post(INVOICES, json=body, headers=tenant_a.auth | {"Idempotency-Key": "inv-1"})
    assert replayed.status_code == 201 and replayed.json()["id"] == invoice["id"]
    billed = client.get(f"{ROOT}/work-orders/{order['id']}", headers=tenant_a.auth).json()
    assert (billed["status"], billed["invoice_id"]) == ("invoiced", invoice["id"])
    again = client.post(INVOICES, json=body, headers=tenant_a.auth)
    assert again.status_code == 409 and again.json()["work_order_status"] == "invoiced"

    draft_order = client.post(f"{ROOT}/work-orders", json=new_work_order(
        order["customer_id"], order["assembly_ids"][0]), headers=tenant_a.auth).json()
    early = client.post(INVOICES, json={"work_order_id": draft_order["id"]}, headers=tenant_a.auth)
    assert early.status_code == 409 and early.json()["work_order_status"] == "draft"
    missing = client.post(INVOICES, json={"work_order_id": "wo_01M80NEQ8V8WMTDAMZFMBRHY14"}, headers=tenant_a.auth)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.work_order_id"
    bad_rate = client.post(INVOICES, json={"work_order_id": draft_order["id"], "tax_rate_percent": "8.8751"},
                           headers=tenant_a.auth)
    assert bad_rate.status_code == 422

    second = _invoice(client, tenant_a, [TEST])
    assert second["number"] == "INV-000002" and second["tax_cents"] == 0
    assert _actions(client, tenant_a) == ["fieldwork.invoice.created"] * 2
    listed = client.get(f"{ROOT}/customers/{order['customer_id']}/invoices", headers=tenant_a.auth).json()
    assert [i["id"] for i in listed["data"]] == [invoice["id"]]


def test_each_tenant_numbers_its_own_invoices_in_order(client: TestClient, tenant_a: Tenant,
                                                       tenant_b: Tenant) -> None:
    for owner in (tenant_a, tenant_b):
        _tester(client, owner)
    numbers = [_invoice(client, owner, [TEST])["number"] for owner in (tenant_a, tenant_b, tenant_a)]
    assert numbers == ["INV-000001", "INV-000001", "INV-000002"]


def test_a_draft_changes_with_if_match_and_a_sent_one_does_not(client: TestClient, tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    invoice = _invoice(client, tenant_a, [TEST, PART])
    path = f"{INVOICES}/{invoice['id']}"
    change = {"line_items": [TEST, PART | {"taxable": False}, TRIP | {"quantity": 2}], "tax_rate_percent": 7.25,
              "net_terms_days": 15, "bill_to": {"name": "Accounts payable", "email": "ap@harbour.example"}}
    assert client.patch(path, json=change, headers=tenant_a.auth).status_code == 428
    assert client.patch(path, json=change, headers=tenant_a.auth | {"If-Match": '"99"'}).status_code == 412
    response = client.patch(path, json=change, headers=_with_etag(client, tenant_a, invoice["id"]))
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["subtotal_cents"], changed["taxable_subtotal_cents"], changed["tax_cents"]) == (21900, 0, 0)
    assert (changed["tax_rate_percent"], changed["net_terms_days"], changed["bill_to"]["email"]) == (
        "7.25", 15, "ap@harbour.example")
    elsewhere = client.patch(path, json={"line_items": [TEST | {"assembly_id": an_assembly(client, tenant_a)}]},
                             headers=_with_etag(client, tenant_a, invoice["id"]))
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "body.line_items.0.assembly_id"

    sent = _send(client, tenant_a, invoice["id"])
    today = clock.now().date()
    assert (sent["status"], sent["issued_on"], sent["due_on"]) == (
        "sent", today.isoformat(), (today + dt.timedelta(days=15)).isoformat())
    late = client.patch(path, json={"notes": "late"}, headers=_with_etag(client, tenant_a, invoice["id"]))
    assert late.status_code == 409 and late.json()["invoice_status"] == "sent"
    twice = client.post(f"{path}/send", headers=_with_etag(client, tenant_a, invoice["id"]))
    assert twice.status_code == 409

    empty = _invoice(client, tenant_a, [])
    nothing = client.post(f"{INVOICES}/{empty['id']}/send", headers=_with_etag(client, tenant_a, empty["id"]))
    assert nothing.status_code == 409 and "bills nothing" in nothing.json()["detail"]


def test_sending_stores_the_pdf_with_its_sha256_and_emails_the_billing_contact(client: TestClient,
                                                                               tenant_a: Tenant,
                                                                               worker: Worker) -> None:
    _tester(client, tenant_a)
    invoice = _invoice(client, tenant_a, [TEST, PART, TRIP], tax_rate_percent="8.875",
                       notes="Thank you for your business")
    sent = _send(client, tenant_a, invoice["id"])
    assert sent["job_id"] and sent["pdf"] is None and _read(client, tenant_a, invoice["id"]).json()["pdf_url"] is None
    worker.drain()
    job = client.get(f"/v1/jobs/{sent['job_id']}", headers=tenant_a.auth).json()
    assert job["status"] == "succeeded", job
    shown = _read(client, tenant_a, invoice["id"]).json()
    assert shown["emailed_to"] == BILLING["email"] and shown["pdf_url"]
    key = f"tenants/{tenant_a.id}/fieldwork/invoices/{invoice['id']}/INV-000001.pdf"
    stored: bytes = boto3.client("s3", region_name=settings().region).get_object(
        Bucket=settings().files_bucket, Key=key)["Body"].read()
    assert shown["pdf"] == {"size": len(stored), "sha256": hashlib.sha256(stored).hexdigest()}

    text = _text(stored)
    due = dt.date.fromisoformat(sent["due_on"])
    for expected in ("Invoice INV-000001", str(NEW_CUSTOMER["name"]), BILLING["email"], "12 Harbour Road",
                     "Annual backflow test", "Relief valve rubber kit", "Trip charge", "$85.00", "$84.00",
                     "Subtotal", "$194.00", "Tax 8.875% of $84.00 taxable", "$7.46", "Total", "$201.46",
                     "Balance due", f"Due {due:%B} {due.day}, {due.year} (net 30 days)",
                     f"Work order {sent['work_order_id']}", "Thank you for your business"):
        assert expected in text, expected

    (mail,) = [mail for mail in sent_mail() if mail["to"] == BILLING["email"] and "INV-000001" in mail["subject"]]
    assert "$201.46" in mail["subject"] and shown["pdf"]["sha256"] in mail["text"]
    assert _actions(client, tenant_a) == ["fieldwork.invoice.sent", "fieldwork.invoice.created"]


def test_payments_take_the_balance_to_zero_and_never_past_it(client: TestClient, tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    invoice = _invoice(client, tenant_a, [TEST, TRIP])  # 110.00
    assert _pay(client, tenant_a.auth, invoice["id"], payment()).json()["invoice_status"] == "draft"
    _send(client, tenant_a, invoice["id"])

    response = _pay(client, tenant_a.auth, invoice["id"], payment(6000, reference="Check 1042"),
                    **{"Idempotency-Key": "pay-1"})
    assert response.status_code == 201, response.text
    part = response.json()
    assert response.headers["location"] == f"{INVOICES}/{invoice['id']}" and response.headers["etag"]
    assert (part["status"], part["paid_cents"], part["balance_cents"]) == ("sent", 6000, 5000)
    assert (part["payments"][0]["method"], part["payments"][0]["recorded_by"]) == ("check", tenant_a.user_id)
    replayed = _pay(client, tenant_a.auth, invoice["id"], payment(6000, reference="Check 1042"),
                    **{"Idempotency-Key": "pay-1"})
    assert replayed.json()["payments"] == part["payments"]
    duplicate = _pay(client, tenant_a.auth, invoice["id"], payment(1000, reference="Check 1042"))
    assert duplicate.status_code == 409 and "recorded on the invoice already" in duplicate.json()["detail"]

    over = _pay(client, tenant_a.auth, invoice["id"], payment(5001))
    assert over.status_code == 422 and over.json()["errors"][0]["code"] == "overpayment"
    tomorrow = (clock.now().date() + dt.timedelta(days=1)).isoformat()
    future = _pay(client, tenant_a.auth, invoice["id"], payment(100, received_on=tomorrow))
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "body.received_on"
    assert [i["id"] for i in _unpaid(client, tenant_a.auth).json()["data"]] == [invoice["id"]]

    paid = _pay(client, tenant_a.auth, invoice["id"], payment(5000, method="card", reference="auth 77"))
    assert paid.status_code == 201, paid.text
    assert (paid.json()["status"], paid.json()["balance_cents"], len(paid.json()["payments"])) == ("paid", 0, 2)
    assert paid.json()["paid_at"] and _unpaid(client, tenant_a.auth).json()["data"] == []
    after = _pay(client, tenant_a.auth, invoice["id"], payment(1))
    assert after.status_code == 409 and after.json()["invoice_status"] == "paid"
    void = client.post(f"{INVOICES}/{invoice['id']}/void", json={"reason": "x"},
                       headers=_with_etag(client, tenant_a, invoice["id"]))
    assert void.status_code == 409
    assert _actions(client, tenant_a) == ["fieldwork.invoice.paid", "fieldwork.invoice.payment_recorded",
                                          "fieldwork.invoice.payment_recorded", "fieldwork.invoice.sent",
                                          "fieldwork.invoice.created"]


def test_a_sent_invoice_past_due_becomes_overdue_once_and_is_still_paid(client: TestClient,
                                                                       tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    due_today, due_later = (_invoice(client, tenant_a, [TEST], net_terms_days=days) for days in (0, 30))
    paid_off = _invoice(client, tenant_a, [TEST], net_terms_days=0)
    for invoice in (due_today, due_later, paid_off):
        _send(client, tenant_a, invoice["id"])
    assert _pay(client, tenant_a.auth, paid_off["id"], payment(8500)).json()["status"] == "paid"
    today = clock.now().date()

    with tenant_scope(tenant_a.id):
        assert schedules.mark_tenant(tenant_a.id, today) == 0  # due today is not past due
        assert schedules.mark_tenant(tenant_a.id, today + dt.timedelta(days=1)) == 1
        assert schedules.mark_tenant(tenant_a.id, today + dt.timedelta(days=2)) == 0  # once
    assert _read(client, tenant_a, due_today["id"]).json()["status"] == "overdue"
    assert _read(client, tenant_a, due_later["id"]).json()["status"] == "sent"
    assert _actions(client, tenant_a).count("fieldwork.invoice.overdue") == 1
    with clock.frozen(dt.datetime.combine(today + dt.timedelta(days=31), dt.time(12), dt.UTC)):
        assert run_schedule(schedules.NAME)["overdue"] >= 1  # every tenant: the later one too
    overdue = _read(client, tenant_a, due_later["id"]).json()
    assert overdue["status"] == "overdue" and overdue["overdue_at"]
    assert [i["id"] for i in _unpaid(client, tenant_a.auth).json()["data"]] == [due_today["id"], due_later["id"]]

    paid = _pay(client, tenant_a.auth, due_today["id"], payment(8500))
    assert paid.status_code == 201 and paid.json()["status"] == "paid"


def test_voiding_takes_an_invoice_off_the_lists_but_not_one_with_payments(client: TestClient,
                                                                         tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    draft, sent, part_paid = (_invoice(client, tenant_a, [TEST], net_terms_days=0) for _ in range(3))
    for invoice in (sent, part_paid):
        _send(client, tenant_a, invoice["id"])
    _pay(client, tenant_a.auth, part_paid["id"], payment(100))
    path = f"{INVOICES}/{sent['id']}/void"
    assert client.post(path, json={"reason": "Wrong customer"}, headers=tenant_a.auth).status_code == 428
    for invoice in (draft, sent):
        response = client.post(f"{INVOICES}/{invoice['id']}/void", json={"reason": "Wrong customer"},
                               headers=_with_etag(client, tenant_a, invoice["id"]))
        assert response.status_code == 200, response.text
        assert (response.json()["status"], response.json()["void_reason"]) == ("void", "Wrong customer")
    kept = client.post(f"{INVOICES}/{part_paid['id']}/void", json={"reason": "x"},
                       headers=_with_etag(client, tenant_a, part_paid["id"]))
    assert kept.status_code == 409 and "payments" in kept.json()["detail"]
    assert _pay(client, tenant_a.auth, sent["id"], payment(100)).json()["invoice_status"] == "void"
    assert [i["id"] for i in _unpaid(client, tenant_a.auth).json()["data"]] == [part_paid["id"]]
    with tenant_scope(tenant_a.id):  # the void one's due entry went with it
        assert schedules.mark_tenant(tenant_a.id, clock.now().date() + dt.timedelta(days=1)) == 1
    assert _actions(client, tenant_a).count("fieldwork.invoice.voided") == 2


def test_the_unpaid_list_is_oldest_due_first_one_query_a_page(client: TestClient, tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    invoices = {days: _invoice(client, tenant_a, [TEST], net_terms_days=days) for days in (30, 10, 45, 0)}
    for invoice in invoices.values():
        _send(client, tenant_a, invoice["id"])
    _invoice(client, tenant_a, [TEST])  # a draft is not unpaid yet
    with recording_aws_calls() as calls:
        first = _unpaid(client, tenant_a.auth, limit=3)
    assert first.status_code == 200, first.text
    assert [c.operation for c in calls if c.service == "dynamodb" and not is_rate_limit(c)] == ["Query"]
    second = _unpaid(client, tenant_a.auth, limit=3, cursor=first.json()["next_cursor"]).json()
    listed = [i["id"] for i in first.json()["data"] + second["data"]]
    assert listed == [invoices[days]["id"] for days in (0, 10, 30, 45)] and second["next_cursor"] is None
    assert _unpaid(client, add_member(tenant_a.id, "viewer").auth).status_code == 200
    assert _unpaid(client, add_member(tenant_a.id, "tester").auth).status_code == 403
    assert _pay(client, add_member(tenant_a.id, "billing").auth, invoices[0]["id"], payment(100)).status_code == 201


def test_a_completed_order_of_another_tenant_is_not_invoiced(client: TestClient, tenant_a: Tenant,
                                                             tenant_b: Tenant) -> None:
    _tester(client, tenant_a)
    order_id_a = a_completed_work_order(client, tenant_a)
    response = client.post(INVOICES, json={"work_order_id": order_id_a}, headers=tenant_b.auth)
    assert response.status_code == 422
    assert client.get(f"{ROOT}/work-orders/{order_id_a}", headers=tenant_a.auth).json()["status"] == "completed"


def test_a_voided_invoices_work_order_is_invoiced_anew_unless_closed(client: TestClient, tenant_a: Tenant) -> None:
    _tester(client, tenant_a)
    wrong, closed = _invoice(client, tenant_a, [TEST]), _invoice(client, tenant_a, [TEST])
    moved(client, tenant_a.auth, closed["work_order_id"], "close")
    for invoice in (wrong, closed):
        voided = client.post(f"{INVOICES}/{invoice['id']}/void", json={"reason": "Wrong tax rate"},
                             headers=_with_etag(client, tenant_a, invoice["id"]))
        assert voided.status_code == 200, voided.text

    order = client.get(f"{ROOT}/work-orders/{wrong['work_order_id']}", headers=tenant_a.auth).json()
    assert (order["status"], order["invoice_id"]) == ("completed", None)
    again = client.post(INVOICES, json={"work_order_id": order["id"], "tax_rate_percent": "8.25"},
                        headers=tenant_a.auth)
    assert again.status_code == 201, again.text
    assert client.get(f"{ROOT}/work-orders/{order['id']}", headers=tenant_a.auth).json()["invoice_id"] == \
        again.json()["id"]
    assert client.get(f"{ROOT}/work-orders/{closed['work_order_id']}", headers=tenant_a.auth).json()["status"] == \
        "closed"
    events = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant_a.auth).json()["data"]
    assert [event["action"] for event in events].count("fieldwork.work_order.reopened") == 1
