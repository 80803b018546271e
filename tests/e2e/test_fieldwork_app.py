"""The fieldwork app on the local stack, through its public API only: a customer, its site and assembly, a work
order scheduled and worked by a certified tester, the test report signed and submitted to its water district (the
PDF downloaded and checked against its SHA-256), the invoice sent and paid, the emails the customer and the
district get, and the ``fieldwork.*`` events a webhook receives."""

import hashlib
import io
import time
from typing import Any

import httpx
from pypdf import PdfReader
from standardwebhooks import Webhook

from tests.e2e.local_stack import LocalStack, ok, until
from tests.support.webhook_receiver import listening

PASSWORD = "correct horse battery staple"
ADDRESS = {"line1": "12 Harbour Road", "city": "Springfield", "region": "OR", "postal_code": "97477"}
EVENTS = ["fieldwork.customer.created", "fieldwork.site.created", "fieldwork.assembly.created",
          "fieldwork.work_order.created", "fieldwork.work_order.scheduled", "fieldwork.work_order.started",
          "fieldwork.report.created", "fieldwork.report.signed", "fieldwork.work_order.completed",
          "fieldwork.submission.created", "fieldwork.submission.sent", "fieldwork.work_order.invoiced",
          "fieldwork.invoice.created", "fieldwork.invoice.sent", "fieldwork.invoice.payment_recorded",
          "fieldwork.invoice.paid"]


def _moved(api: httpx.Client, path: str, action: str, body: dict[str, Any] | None = None) -> Any:
    """POST ``path/action`` with the record's current ETag in If-Match."""
    return ok(api.post(f"{path}/{action}", json=body, headers={"If-Match": api.get(path).headers["etag"]}))


def _made_tester(api: httpx.Client, user_id: str) -> None:
    path = f"/v1/users/{user_id}"
    member = api.get(path)
    roles = [{"role": grant["role"]} for grant in member.json()["roles"]] + [{"role": "tester"}]
    ok(api.patch(path, json={"roles": roles}, headers={"If-Match": member.headers["etag"]}))


def _mails(stack: LocalStack, to: str) -> list[dict[str, Any]]:
    return [mail for mail in httpx.get(f"{stack.base}/_local/mail").json() if mail["to"] == to]


def test_a_backflow_test_from_customer_to_district_submission_with_emails_and_webhooks(stack: LocalStack) -> None:
    api = httpx.Client(base_url=stack.base, timeout=30)
    owner = ok(api.post("/v1/signup", json={"tenant_name": "Harbour Backflow", "email": "office@backflow.example",
                                              "password": PASSWORD}))
    api.headers["Authorization"] = f"Bearer {owner['access_token']}"
    me = owner["user"]["id"]
    _made_tester(api, me)
    with listening() as receiver:
        endpoint = ok(api.post("/v1/webhook-endpoints", json={"url": receiver.url, "event_types": EVENTS}))

        customer = ok(api.post("/v1/fieldwork/customers", json={
            "name": "Harbour Bakery", "service_address": ADDRESS,
            "billing_contact": {"name": "Dana Reyes", "email": "dana@bakery.example"}}))
        site = ok(api.post(f"/v1/fieldwork/customers/{customer['id']}/sites",
                            json={"name": "Main shop", "address": ADDRESS}))
        district = ok(api.post("/v1/fieldwork/districts", json={
            "name": "Springfield Utility Board", "submission_email": "backflow@sub.example",
            "submission_deadline_days": 10}))
        assembly = ok(api.post(f"/v1/fieldwork/sites/{site['id']}/assemblies", json={
            "district_id": district["id"], "type": "RP", "make": "Watts", "model": "909", "serial": "RP-4471",
            "size_inches": 0.75, "hazard": "high"}))
        ok(api.post("/v1/fieldwork/certifications", json={
            "user_id": me, "number": "BAT-20931", "certifying_body": "Oregon Health Authority",
            "expires_on": "2099-06-30"}))
        gauge = ok(api.post("/v1/fieldwork/gauges", json={
            "serial": "G-881", "make": "Mid-West Instrument", "model": "845-5",
            "calibration_expires_on": "2099-01-15"}))

        order = ok(api.post("/v1/fieldwork/work-orders", json={
            "customer_id": customer["id"], "assembly_ids": [assembly["id"]],
            "line_items": [{"kind": "test", "description": "Annual backflow test", "quantity": 1,
                            "unit_price_cents": 8500, "assembly_id": assembly["id"]}]}))
        order_path = f"/v1/fieldwork/work-orders/{order['id']}"
        today = time.strftime("%Y-%m-%d", time.gmtime())
        _moved(api, order_path, "schedule", {"scheduled_on": today, "window": {"start": "08:00", "end": "10:00"},
                                             "tester_id": me})
        _moved(api, order_path, "start")
        report = ok(api.post(f"/v1/fieldwork/assemblies/{assembly['id']}/reports", json={
            "gauge_id": gauge["id"], "tested_on": today, "readings": {
                "check_valve_1_psid": 6.2, "check_valve_2_closed_tight": True, "relief_valve_opening_psid": 2.8}}))
        signed = ok(api.post(f"/v1/fieldwork/reports/{report['id']}/sign"))
        assert (signed["status"], signed["result"]) == ("signed", "passed")
        assert _moved(api, order_path, "complete")["status"] == "completed"

        submission = ok(api.post(f"/v1/fieldwork/districts/{district['id']}/submissions"))
        sent = until(lambda: (found := ok(api.get(f"/v1/fieldwork/submissions/{submission['id']}")))["status"]
                      == "sent" and found, "the submission was not sent")
        pdf_file = next(file for file in sent["files"] if file["report_id"] == report["id"])
        pdf = httpx.get(sent["download_urls"][pdf_file["name"]]).content
        assert hashlib.sha256(pdf).hexdigest() == pdf_file["sha256"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "RP-4471" in text and "BAT-20931" in text and "6.2 psid" in text

        invoice = ok(api.post("/v1/fieldwork/invoices", json={"work_order_id": order["id"],
                                                                 "tax_rate_percent": "8.5"}))
        invoice_path = f"/v1/fieldwork/invoices/{invoice['id']}"
        assert invoice["total_cents"] == 8500  # the test is not taxed
        _moved(api, invoice_path, "send")
        issued = until(lambda: (found := ok(api.get(invoice_path)))["pdf_url"] and found,
                        "the invoice's PDF was not stored")
        invoice_pdf = httpx.get(issued["pdf_url"]).content
        assert hashlib.sha256(invoice_pdf).hexdigest() == issued["pdf"]["sha256"]
        assert invoice["number"] in "".join(page.extract_text() for page in PdfReader(io.BytesIO(invoice_pdf)).pages)
        paid = ok(api.post(f"{invoice_path}/payments", json={"amount_cents": 8500, "method": "check",
                                                                "received_on": today, "reference": "Check 1042"}))
        assert (paid["status"], paid["balance_cents"]) == ("paid", 0)

        assert until(lambda: _mails(stack, "backflow@sub.example"), "the district got no email")
        notices = until(lambda: _mails(stack, "dana@bakery.example"), "the customer got no email")
        assert any(mail["subject"].startswith("Backflow test scheduled") and "RP-4471" in mail["text"]
                   for mail in notices)
        assert until(lambda: any(issued["pdf"]["sha256"] in mail["text"]
                                  for mail in _mails(stack, "dana@bakery.example")), "the customer got no invoice")

        until(lambda: len(receiver.received) >= len(EVENTS), "the fieldwork events did not all arrive")
        delivered = [Webhook(endpoint["secret"]).verify(r.body, r.headers)["type"] for r in receiver.received]
    assert sorted(delivered) == sorted(EVENTS)
