"""Sample work orders, for the tests and the bench (``atrium.kernel.testing``): an order for a new assembly of a new
customer, moved through its lifecycle by the tenant's owner, made a tester and assigned the order."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import Caller, an_assembly, made_tester
from atrium.apps.fieldwork.workorders.transitions import mark_invoiced
from atrium.kernel.events.envelope import Ref
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup, created

WORK_ORDERS = "/v1/fieldwork/work-orders"
WINDOW = {"start": "08:00", "end": "10:00"}
TEST_LINE = {"kind": "test", "description": "Annual backflow test", "quantity": 1, "unit_price_cents": 8500}


def new_work_order(customer_id: str, assembly_id: str, **changes: Any) -> dict[str, Any]:
    return {"customer_id": customer_id, "assembly_ids": [assembly_id],
            "line_items": [TEST_LINE | {"assembly_id": assembly_id}]} | changes


def a_draft_work_order(client: TestClient, owner: Owner) -> str:
    """A draft for a new assembly (of a new customer)."""
    assembly_id = an_assembly(client, owner)
    customer_id = client.get(f"/v1/fieldwork/assemblies/{assembly_id}", headers=owner.auth).json()["customer_id"]
    return created("id", WORK_ORDERS, new_work_order(customer_id, assembly_id))(client, owner)


def moved(client: TestClient, auth: dict[str, str], work_order_id: str, action: str,
          body: dict[str, Any] | None = None) -> dict[str, Any]:
    """The order after ``POST …/<action>`` with its current ETag."""
    path = f"{WORK_ORDERS}/{work_order_id}"
    response = client.post(f"{path}/{action}", json=body,
                           headers=auth | {"If-Match": client.get(path, headers=auth).headers["etag"]})
    assert response.status_code == 200, response.text
    return dict(response.json())


def schedule_body(tester_id: str, scheduled_on: str = "2026-12-03") -> dict[str, Any]:
    return {"scheduled_on": scheduled_on, "window": WINDOW, "tester_id": tester_id}


def a_scheduled_work_order(client: TestClient, owner: Owner) -> str:
    """Assigned to the owner, made a tester."""
    work_order_id = a_draft_work_order(client, owner)
    moved(client, owner.auth, work_order_id, "schedule", schedule_body(made_tester(client, owner.auth, owner.user_id)))
    return work_order_id


def a_started_work_order(client: TestClient, owner: Owner) -> str:
    work_order_id = a_scheduled_work_order(client, owner)
    moved(client, owner.auth, work_order_id, "start")
    return work_order_id


def an_invoiced_work_order(client: TestClient, owner: Owner) -> str:
    """Completed, and billed as an invoice's transaction would (``mark_invoiced``)."""
    work_order_id = a_started_work_order(client, owner)
    moved(client, owner.auth, work_order_id, "complete")
    with tenant_scope(owner.id):
        uow = UnitOfWork(owner.id, Ref(type="test", id="invoicing"))
        mark_invoiced(uow, work_order_id, "invoice-of-the-test")
        uow.commit()
    return work_order_id


def a_canceled_work_order(client: TestClient, owner: Owner) -> str:
    """Every change of it is a 409 for whoever may make the change (and a 403 for whoever may not): the route
    matrices tell the two apart without an order assigned to each member they make."""
    work_order_id = a_draft_work_order(client, owner)
    moved(client, owner.auth, work_order_id, "cancel")
    return work_order_id


PATH_IDS: dict[str, IdFactory] = {"work_order_id": a_canceled_work_order}


def _on(factory: IdFactory, body: Callable[[Fixture], dict[str, Any] | None] = lambda _fixture: None,
        if_match: bool = True) -> RequestSetup:
    """A request on a new order made by ``factory``, with ``body`` and (``if_match``) its ETag in If-Match."""
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        work_order_id = factory(fixture.client, Caller(fixture))
        headers = {"If-Match": fixture.etag(f"{WORK_ORDERS}/{work_order_id}")} if if_match else {}
        return Request(path=spec.path.format(work_order_id=work_order_id), body=body(fixture), headers=headers)

    return setup


def _an_order(fixture: Fixture) -> dict[str, Any]:
    """A new draft, as read."""
    path = f"{WORK_ORDERS}/{a_draft_work_order(fixture.client, Caller(fixture))}"
    return dict(fixture.client.get(path, headers=fixture.auth).json())


def _new_body(fixture: Fixture, _spec: RouteSpec) -> Request:
    order = _an_order(fixture)
    return Request(body=new_work_order(order["customer_id"], order["assembly_ids"][0]))


def _customer_orders(fixture: Fixture, spec: RouteSpec) -> Request:
    return Request(path=spec.path.format(customer_id=_an_order(fixture)["customer_id"]))


def _tester(fixture: Fixture) -> dict[str, Any]:
    caller = Caller(fixture)
    return schedule_body(made_tester(fixture.client, caller.auth, caller.user_id))


def _schedule(fixture: Fixture, spec: RouteSpec) -> Request:
    caller = Caller(fixture)
    a_scheduled_work_order(fixture.client, caller)
    return Request(path=f"{spec.path.format(user_id=caller.user_id)}?from=2026-12-01&to=2026-12-07")


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "fieldwork.create_work_order": _new_body,
    "fieldwork.list_customer_work_orders": _customer_orders,
    "fieldwork.get_tester_schedule": _schedule,
    "fieldwork.get_work_order": _on(a_draft_work_order, if_match=False),
    "fieldwork.update_work_order": _on(a_draft_work_order, lambda _fixture: {"notes": "Bench"}),
    "fieldwork.delete_work_order": _on(a_draft_work_order, if_match=False),
    "fieldwork.schedule_work_order": _on(a_draft_work_order, _tester),
    "fieldwork.start_work_order": _on(a_scheduled_work_order),
    "fieldwork.record_work_order_line_items": _on(a_started_work_order, lambda _fixture: {"line_items": [TEST_LINE]}),
    "fieldwork.complete_work_order": _on(a_started_work_order),
    "fieldwork.cancel_work_order": _on(a_draft_work_order),
    "fieldwork.close_work_order": _on(an_invoiced_work_order),
}

_READ_FIRST = ("One consistent Query of the order's partition (the order and its schedule entry) before the "
               "transaction: a stale If-Match or a status that does not allow the change fails fast, and the entry is "
               "rewritten at the version read.")
_ORDER_READ = ("One BatchGetItem of the customer and the assemblies (each must be the customer's), then the "
               "transaction, which counts the order on the customer.")
AWS_CALL_BUDGETS = {
    "fieldwork.create_work_order": CallBudget(2, _ORDER_READ),
    "fieldwork.create_work_order + Idempotency-Key": CallBudget(4, f"{_ORDER_READ} The idempotency record is "
                                                                   "claimed (PutItem) before the transaction and "
                                                                   "completed (PutItem) after it."),
    "fieldwork.list_customer_work_orders": CallBudget(2, "The customer is read first (GetItem), so another tenant's "
                                                         "id is a 404 and not an empty list; then one Query per page."),
    "fieldwork.get_tester_schedule": CallBudget(2, "The membership is read first (one BatchGetItem through "
                                                   "identity.api.active_members), so a user of another tenant is a "
                                                   "404 and not an empty list; then one Query of the tester's gsi2 "
                                                   "collection per page, between the two days."),
    "fieldwork.update_work_order": CallBudget(3, f"{_READ_FIRST} New assemblies are read (one BatchGetItem) to "
                                                 "check they are the customer's."),
    "fieldwork.schedule_work_order": CallBudget(3, f"{_READ_FIRST} The tester's membership is read (one "
                                                   "BatchGetItem): an active member holding the tester role."),
    **{f"fieldwork.{operation}": CallBudget(2, _READ_FIRST)
       for operation in ("delete_work_order", "start_work_order", "record_work_order_line_items",
                         "complete_work_order", "cancel_work_order", "close_work_order")},
    # The visit's writes honour an Idempotency-Key, so a device replaying them after it reconnects gets the answer.
    **{f"fieldwork.{operation} + Idempotency-Key": CallBudget(4, f"{_READ_FIRST} The idempotency record is claimed "
                                                                 "(PutItem) before and completed (PutItem) after.")
       for operation in ("start_work_order", "record_work_order_line_items", "complete_work_order")},
}
