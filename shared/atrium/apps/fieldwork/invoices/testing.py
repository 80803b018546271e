"""Sample invoices, for the tests and the bench (``atrium.kernel.testing``): a draft invoice of a new completed work
order (one test line, $85.00), and one sent."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import Caller
from atrium.apps.fieldwork.workorders.testing import a_started_work_order, moved
from atrium.kernel import clock
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup

INVOICES = "/v1/fieldwork/invoices"


def a_completed_work_order(client: TestClient, owner: Owner) -> str:
    work_order_id = a_started_work_order(client, owner)
    moved(client, owner.auth, work_order_id, "complete")
    return work_order_id


def a_draft_invoice(client: TestClient, owner: Owner) -> str:
    response = client.post(INVOICES, json={"work_order_id": a_completed_work_order(client, owner)},
                           headers=owner.auth)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def a_sent_invoice(client: TestClient, owner: Owner) -> str:
    """Sent (its job not run)."""
    invoice_id = a_draft_invoice(client, owner)
    path = f"{INVOICES}/{invoice_id}"
    response = client.post(f"{path}/send", headers=owner.auth | {"If-Match": client.get(path, headers=owner.auth)
                                                                 .headers["etag"]})
    assert response.status_code == 200, response.text
    return invoice_id


def payment(amount_cents: int = 2500, **changes: Any) -> dict[str, Any]:
    """A check received today."""
    return {"amount_cents": amount_cents, "method": "check", "received_on": clock.now().date().isoformat(),
            "reference": ""} | changes


PATH_IDS: dict[str, IdFactory] = {"invoice_id": a_draft_invoice}


def _on(factory: IdFactory, body: Callable[[], dict[str, Any] | None] = lambda: None,
        if_match: bool = True) -> RequestSetup:
    """A request on a new invoice made by ``factory``, with ``body`` and (``if_match``) its ETag in If-Match."""
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        invoice_id = factory(fixture.client, Caller(fixture))
        headers = {"If-Match": fixture.etag(f"{INVOICES}/{invoice_id}")} if if_match else {}
        return Request(path=spec.path.format(invoice_id=invoice_id), body=body(), headers=headers)

    return setup


def _new_body(fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request(body={"work_order_id": a_completed_work_order(fixture.client, Caller(fixture)),
                         "tax_rate_percent": "8.875"})


def _customer_invoices(fixture: Fixture, spec: RouteSpec) -> Request:
    invoice = fixture.client.get(f"{INVOICES}/{a_draft_invoice(fixture.client, Caller(fixture))}",
                                 headers=fixture.auth).json()
    return Request(path=spec.path.format(customer_id=invoice["customer_id"]))


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "fieldwork.create_invoice": _new_body,
    "fieldwork.list_customer_invoices": _customer_invoices,
    "fieldwork.get_invoice": _on(a_sent_invoice, if_match=False),
    "fieldwork.update_invoice": _on(a_draft_invoice, lambda: {"notes": "Bench", "tax_rate_percent": "7.25"}),
    "fieldwork.send_invoice": _on(a_draft_invoice),
    "fieldwork.void_invoice": _on(a_sent_invoice, lambda: {"reason": "Bench"}),
    "fieldwork.record_invoice_payment": _on(a_sent_invoice, payment, if_match=False),
    "fieldwork.create_invoice_payment_link": _on(a_sent_invoice, if_match=False),
}

_READ_FIRST = ("A consistent GetItem of the invoice before the transaction: a stale If-Match or a status that does "
               "not allow the change fails fast, and the invoice is written at the version read.")
_CREATE = ("One consistent Query of the work order's partition (the order and its schedule entry, moved to "
           "invoiced in the same transaction), one consistent BatchGetItem of the customer (its billing contact) "
           "and the tenant's invoice counter (the next number, taken on condition), then the transaction.")
_PAYMENT_LINK = ("A consistent GetItem of the invoice (its status and balance); then billing's: a GetItem of the "
                 "tenant's payment account, one Query of the session last made for the invoice (handed out again "
                 "while open), and when a new one is made, a PutItem recording it.")
_IDEMPOTENT = "The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it."

AWS_CALL_BUDGETS = {
    "fieldwork.create_invoice": CallBudget(3, _CREATE),
    "fieldwork.create_invoice + Idempotency-Key": CallBudget(5, f"{_CREATE} {_IDEMPOTENT}"),
    "fieldwork.list_customer_invoices": CallBudget(2, "The customer is read first (GetItem), so another tenant's id "
                                                      "is a 404 and not an empty list; then one Query per page."),
    **{f"fieldwork.{operation}": CallBudget(2, _READ_FIRST)
       for operation in ("update_invoice", "send_invoice", "record_invoice_payment")},
    "fieldwork.void_invoice": CallBudget(3, f"{_READ_FIRST} Then one consistent Query of its work order's partition "
                                            "(the order and its schedule entry), completed again in the transaction."),
    "fieldwork.record_invoice_payment + Idempotency-Key": CallBudget(4, f"{_READ_FIRST} {_IDEMPOTENT}"),
    "fieldwork.create_invoice_payment_link": CallBudget(4, _PAYMENT_LINK),
}
