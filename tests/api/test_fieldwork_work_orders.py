"""Fieldwork work orders: drafted for a customer's assemblies with line items (totals computed), every lifecycle move
allowed or refused by status, If-Match on every field write, creation replayed by its Idempotency-Key, the tester's
assignment and who does the visit, a tester's schedule by day (one Query a page), the customer's emails, the
invoicing hook, roles and tenants (the route matrices cover every route besides)."""

import datetime as dt
import json
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import NEW_CUSTOMER, NEW_DISTRICT, NEW_SITE, new_assembly
from atrium.apps.fieldwork.workorders.lifecycle import WrongStatus
from atrium.apps.fieldwork.workorders.testing import TEST_LINE, WINDOW, moved, new_work_order, schedule_body
from atrium.apps.fieldwork.workorders.transitions import mark_invoiced
from atrium.kernel import clock
from atrium.kernel.errors import PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.aws_hook import recording_aws_calls
from tests.support.invitations import table_items
from tests.support.outbox import outbox_items
from tests.support.people import Member, add_member

ROOT = "/v1/fieldwork"
ORDERS = f"{ROOT}/work-orders"
PART = {"kind": "part", "description": "Relief valve rubber kit", "quantity": 2, "unit_price_cents": 1999}
TRIP = {"kind": "trip_charge", "description": "Trip charge", "quantity": 1, "unit_price_cents": 2500}
BILLING_EMAIL = NEW_CUSTOMER["billing_contact"]["email"]  # type: ignore[index]


def _post(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{ROOT}{path}", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _etag(client: TestClient, auth: dict[str, str], order_id: str) -> str:
    return str(client.get(f"{ORDERS}/{order_id}", headers=auth).headers["etag"])


class Office:
    """A customer of the tenant with an RP and a DC assembly on its site, and a tester."""

    def __init__(self, client: TestClient, owner: Tenant) -> None:
        self.client, self.owner = client, owner
        self.customer = _post(client, owner.auth, "/customers", NEW_CUSTOMER)
        self.site = _post(client, owner.auth, f"/customers/{self.customer['id']}/sites", NEW_SITE)
        district = _post(client, owner.auth, "/districts", NEW_DISTRICT)
        self.assemblies = [_post(client, owner.auth, f"/sites/{self.site['id']}/assemblies",
                                 new_assembly(district["id"], type=kind, location=f"{kind} by the meter"))
                           for kind in ("RP", "DC")]
        self.assembly_ids = [assembly["id"] for assembly in self.assemblies]
        self.tester: Member = add_member(owner.id, "tester")

    def create(self, **changes: Any) -> Any:
        body = new_work_order(self.customer["id"], self.assembly_ids[0]) | changes
        return self.client.post(ORDERS, json=body, headers=self.owner.auth)

    def order(self, status: str = "draft") -> dict[str, Any]:
        """A new order moved to ``status`` (scheduled for the tester; invoiced as an invoice's transaction would)."""
        response = self.create()
        assert response.status_code == 201, response.text
        order_id = response.json()["id"]
        steps = {"draft": [], "scheduled": ["schedule"], "in_progress": ["schedule", "start"],
                 "completed": ["schedule", "start", "complete"],
                 "invoiced": ["schedule", "start", "complete", "invoice"],
                 "closed": ["schedule", "start", "complete", "invoice", "close"], "canceled": ["cancel"]}[status]
        for step in steps:
            if step == "invoice":
                _invoice(self.owner.id, order_id)
            else:
                body = schedule_body(self.tester.user_id) if step == "schedule" else None
                moved(self.client, self.owner.auth, order_id, step, body)
        return dict(self.client.get(f"{ORDERS}/{order_id}", headers=self.owner.auth).json())


def _invoice(tenant_id: str, order_id: str, invoice_id: str = "inv-1") -> None:
    """As the invoices feature would: the order marked invoiced in the invoice's own transaction."""
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, Ref(type="test", id="invoicing"))
        mark_invoiced(uow, order_id, invoice_id)
        uow.commit()


def _audit_actions(client: TestClient, owner: Tenant) -> list[str]:
    return [event["action"] for event in client.get("/v1/audit-events?limit=100", headers=owner.auth).json()["data"]]


def test_a_work_order_is_drafted_read_listed_changed_and_deleted(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    asm = office.assembly_ids[0]
    created = office.create(line_items=[TEST_LINE | {"assembly_id": asm}, PART, TRIP], notes="Call ahead")
    assert created.status_code == 201, created.text
    order = created.json()
    assert created.headers["location"] == f"{ORDERS}/{order['id']}" and created.headers["etag"] == '"1"'
    assert (order["status"], order["customer_id"], order["assembly_ids"]) == ("draft", office.customer["id"], [asm])
    assert [item["amount_cents"] for item in order["line_items"]] == [8500, 3998, 2500]
    assert order["total_cents"] == 14998
    assert order["scheduled_on"] is None and order["tester_id"] is None
    path = f"{ORDERS}/{order['id']}"
    assert client.get(path, headers=tenant_a.auth).json() == order
    second = office.create().json()
    assert [o["id"] for o in client.get(ORDERS, headers=tenant_a.auth).json()["data"]] == [order["id"], second["id"]]
    customer_orders = f"{ROOT}/customers/{office.customer['id']}/work-orders?limit=1"
    first_page = client.get(customer_orders, headers=tenant_a.auth).json()
    next_page = client.get(f"{customer_orders}&cursor={first_page['next_cursor']}", headers=tenant_a.auth).json()
    assert [o["id"] for o in first_page["data"] + next_page["data"]] == [order["id"], second["id"]]

    changed = client.patch(path, json={"assembly_ids": office.assembly_ids, "line_items": [TRIP]},
                           headers=tenant_a.auth | {"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    assert (changed.json()["assembly_ids"], changed.json()["total_cents"], changed.json()["notes"]) == (
        office.assembly_ids, 2500, "Call ahead")
    assert client.patch(path, json={"notes": "x"}, headers=tenant_a.auth | {"If-Match": '"1"'}).status_code == 412
    assert client.patch(path, json={"notes": "x"}, headers=tenant_a.auth).status_code == 428

    assert client.delete(path, headers=tenant_a.auth).status_code == 204
    assert client.get(path, headers=tenant_a.auth).status_code == 404
    assert {"fieldwork.work_order.created", "fieldwork.work_order.updated",
            "fieldwork.work_order.deleted"} <= set(_audit_actions(client, tenant_a))


def test_a_customer_with_work_orders_is_kept(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    order = office.order()
    for assembly_id in office.assembly_ids:
        assert client.delete(f"{ROOT}/assemblies/{assembly_id}", headers=tenant_a.auth).status_code == 204
    assert client.delete(f"{ROOT}/sites/{office.site['id']}", headers=tenant_a.auth).status_code == 204
    customer = f"{ROOT}/customers/{office.customer['id']}"
    refused = client.delete(customer, headers=tenant_a.auth)
    assert refused.status_code == 409 and "work orders" in refused.json()["detail"]
    assert client.delete(f"{ORDERS}/{order['id']}", headers=tenant_a.auth).status_code == 204
    assert client.delete(customer, headers=tenant_a.auth).status_code == 204


def test_bad_work_orders_are_refused(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    office, theirs = Office(client, tenant_a), Office(client, tenant_b)
    other_customer = Office(client, tenant_a)

    def refused(field: str, **changes: Any) -> None:
        response = office.create(**changes)
        assert response.status_code == 422, (changes, response.text)
        assert any(error["field"].startswith(field) for error in response.json()["errors"]), (changes, response.json())

    refused("body.customer_id", customer_id=theirs.customer["id"])
    refused("body.customer_id", customer_id="cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2")
    refused("body.assembly_ids", assembly_ids=[other_customer.assembly_ids[0]])
    refused("body.assembly_ids", assembly_ids=[office.assembly_ids[0], theirs.assembly_ids[0]])
    refused("body.assembly_ids", assembly_ids=[office.assembly_ids[0], "nope"])
    refused("body.assembly_ids", assembly_ids=[])
    refused("body.assembly_ids", assembly_ids=[office.assembly_ids[0]] * 2)
    refused("body.line_items.0.assembly_id", line_items=[TEST_LINE | {"assembly_id": office.assembly_ids[1]}])
    for bad in ({"quantity": 0}, {"quantity": 1.5}, {"unit_price_cents": -1}, {"unit_price_cents": 12.5},
                {"unit_price_cents": "100"}, {"kind": "labour"}, {"description": " "}, {"amount_cents": 100}):
        refused(f"body.line_items.0.{next(iter(bad))}", line_items=[TRIP | bad])
    refused("body.total_cents", total_cents=0)
    assert table_items("WorkOrder") == []
    # A change may not leave a line item for an assembly the order no longer lists.
    order = office.order()
    path = f"{ORDERS}/{order['id']}"
    response = client.patch(path, json={"assembly_ids": [office.assembly_ids[1]]},
                            headers=tenant_a.auth | {"If-Match": '"1"'})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.assembly_ids"
    response = client.patch(path, json={"assembly_ids": [other_customer.assembly_ids[0]]},
                            headers=tenant_a.auth | {"If-Match": '"1"'})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.assembly_ids"
    assert client.get(path, headers=tenant_a.auth).json() == order


# What each move makes of an order in each status (None: it is deleted); every move not named is refused (409).
ALLOWED: dict[str, dict[str, str | None]] = {
    "draft": {"update": "draft", "delete": None, "schedule": "scheduled", "cancel": "canceled"},
    "scheduled": {"update": "scheduled", "schedule": "scheduled", "start": "in_progress", "cancel": "canceled"},
    "in_progress": {"line-items": "in_progress", "complete": "completed", "cancel": "canceled"},
    "completed": {},
    "invoiced": {"close": "closed"},
    "closed": {},
    "canceled": {},
}
MOVES = ("update", "delete", "schedule", "start", "line-items", "complete", "cancel", "close")


def _request(office: Office, order_id: str, move: str) -> Any:
    client, auth = office.client, office.owner.auth
    path = f"{ORDERS}/{order_id}"
    if move == "delete":
        return client.delete(path, headers=auth)
    headers = auth | {"If-Match": _etag(client, auth, order_id)}
    if move == "update":
        return client.patch(path, json={"notes": "Moved"}, headers=headers)
    if move == "line-items":
        return client.put(f"{path}/line-items", json={"line_items": [TEST_LINE, PART]}, headers=headers)
    body = schedule_body(office.tester.user_id, "2026-12-04") if move == "schedule" else None
    return client.post(f"{path}/{move}", json=body, headers=headers)


def test_every_move_is_allowed_or_refused_by_the_orders_status(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    for status, allowed in ALLOWED.items():
        kept = office.order(status)
        assert kept["status"] == status
        for move in MOVES:
            if move in allowed:
                order = office.order(status)
                response = _request(office, order["id"], move)
                assert response.status_code == (200 if allowed[move] else 204), (status, move, response.text)
                after = client.get(f"{ORDERS}/{order['id']}", headers=tenant_a.auth)
                assert (after.json()["status"] if after.status_code == 200 else None) == allowed[move], (status, move)
            else:
                response = _request(office, kept["id"], move)
                assert response.status_code == 409, (status, move, response.text)
                assert response.json()["work_order_status"] == status
                assert client.get(f"{ORDERS}/{kept['id']}", headers=tenant_a.auth).json() == kept


def test_a_visit_runs_from_schedule_to_close_with_its_times(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    order = office.order("scheduled")
    assert (order["scheduled_on"], order["window"], order["tester_id"]) == ("2026-12-03", WINDOW,
                                                                          office.tester.user_id)
    started = moved(client, office.tester.auth, order["id"], "start")
    assert started["started_at"] and started["completed_at"] is None
    path = f"{ORDERS}/{order['id']}"
    recorded = client.put(f"{path}/line-items", json={"line_items": [TEST_LINE, PART, TRIP]},
                          headers=office.tester.auth | {"If-Match": _etag(client, office.tester.auth, order["id"])})
    assert recorded.status_code == 200 and recorded.json()["total_cents"] == 14998
    completed = moved(client, office.tester.auth, order["id"], "complete")
    assert completed["completed_at"] and completed["status"] == "completed"
    _invoice(tenant_a.id, order["id"], "inv-42")
    invoiced = client.get(path, headers=tenant_a.auth).json()
    assert (invoiced["status"], invoiced["invoice_id"]) == ("invoiced", "inv-42") and invoiced["invoiced_at"]
    closed = moved(client, tenant_a.auth, order["id"], "close")
    assert closed["status"] == "closed" and closed["closed_at"]
    actions = _audit_actions(client, tenant_a)
    assert [a for a in reversed(actions) if a.startswith("fieldwork.work_order.")] == [
        f"fieldwork.work_order.{change}" for change in ("created", "scheduled", "started", "updated", "completed",
                                                        "invoiced", "closed")]


def test_an_order_is_invoiced_once_and_only_when_completed(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    with pytest.raises(WrongStatus):
        _invoice(tenant_a.id, office.order("in_progress")["id"])
    order = office.order("completed")
    with tenant_scope(tenant_a.id):  # two invoices race for one order: the later commit fails, nothing of it lands
        first = UnitOfWork(tenant_a.id, Ref(type="test", id="first"))
        mark_invoiced(first, order["id"], "inv-1")
        _invoice(tenant_a.id, order["id"], "inv-2")
        with pytest.raises(PreconditionFailed):
            first.commit()
    assert client.get(f"{ORDERS}/{order['id']}", headers=tenant_a.auth).json()["invoice_id"] == "inv-2"
    with pytest.raises(WrongStatus):
        _invoice(tenant_a.id, order["id"], "inv-3")


def test_field_writes_carry_if_match(client: TestClient, tenant_a: Tenant) -> None:
    """A tablet that read the order, went offline and replays its writes after the order changed gets a 412."""
    office = Office(client, tenant_a)
    order = office.order("scheduled")
    path, auth = f"{ORDERS}/{order['id']}", office.tester.auth
    read = _etag(client, auth, order["id"])
    noted = client.patch(path, json={"notes": "Dog on site"}, headers=tenant_a.auth | {"If-Match": read})
    assert noted.status_code == 200
    assert client.post(f"{path}/start", headers=auth | {"If-Match": read}).status_code == 412
    assert client.post(f"{path}/start", headers=auth).status_code == 428
    started = client.post(f"{path}/start", headers=auth | {"If-Match": noted.headers["etag"]})
    assert started.status_code == 200
    recorded = client.put(f"{path}/line-items", json={"line_items": [PART]},
                          headers=auth | {"If-Match": started.headers["etag"]})
    assert recorded.status_code == 200
    assert client.put(f"{path}/line-items", json={"line_items": [PART]}, headers=auth).status_code == 428
    assert client.post(f"{path}/complete", headers=auth | {"If-Match": started.headers["etag"]}).status_code == 412
    assert client.post(f"{path}/complete", headers=auth).status_code == 428
    assert client.get(path, headers=auth).json()["status"] == "in_progress"


def test_a_stale_line_item_upload_is_a_412(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    order = office.order("in_progress")
    path, auth = f"{ORDERS}/{order['id']}", office.tester.auth
    read = _etag(client, auth, order["id"])
    first = client.put(f"{path}/line-items", json={"line_items": [PART]}, headers=auth | {"If-Match": read})
    assert first.status_code == 200
    replayed = client.put(f"{path}/line-items", json={"line_items": [PART, TRIP]}, headers=auth | {"If-Match": read})
    assert replayed.status_code == 412
    assert client.get(path, headers=auth).json()["total_cents"] == 3998
    for bad in ([TEST_LINE | {"assembly_id": office.assembly_ids[1]}], [PART | {"quantity": -1}]):
        response = client.put(f"{path}/line-items", json={"line_items": bad},
                              headers=auth | {"If-Match": first.headers["etag"]})
        assert response.status_code == 422


def test_an_idempotency_key_replay_creates_nothing_twice(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    body = new_work_order(office.customer["id"], office.assembly_ids[0])
    headers = tenant_a.auth | {"Idempotency-Key": "tablet-upload-1"}
    first, again = (client.post(ORDERS, json=body, headers=headers) for _ in range(2))
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert len(table_items("WorkOrder")) == 1
    assert _audit_actions(client, tenant_a).count("fieldwork.work_order.created") == 1
    other = client.post(ORDERS, json=body | {"notes": "Else"}, headers=headers)
    assert other.status_code == 422 and len(table_items("WorkOrder")) == 1


def test_an_order_goes_to_an_active_tester_of_the_tenant(client: TestClient, tenant_a: Tenant,
                                                         tenant_b: Tenant) -> None:
    office = Office(client, tenant_a)
    order = office.order()
    outsider = add_member(tenant_b.id, "tester")
    dispatcher = add_member(tenant_a.id, "dispatcher")
    lapsed = add_member(tenant_a.id, "tester", expires_at=clock.now() - dt.timedelta(days=1))
    for tester_id in (dispatcher.user_id, outsider.user_id, lapsed.user_id, "usr_nope"):
        response = client.post(f"{ORDERS}/{order['id']}/schedule", json=schedule_body(tester_id),
                               headers=tenant_a.auth | {"If-Match": '"1"'})
        assert response.status_code == 422, (tester_id, response.text)
        assert response.json()["errors"][0]["field"] == "body.tester_id"
    for window in ({"start": "10:00", "end": "08:00"}, {"start": "8:00", "end": "10:00"},
                   {"start": "08:00", "end": "24:00"}):
        response = client.post(f"{ORDERS}/{order['id']}/schedule",
                               json=schedule_body(office.tester.user_id) | {"window": window},
                               headers=tenant_a.auth | {"If-Match": '"1"'})
        assert response.status_code == 422, window
    scheduled = client.post(f"{ORDERS}/{order['id']}/schedule", json=schedule_body(office.tester.user_id),
                            headers=dispatcher.auth | {"If-Match": '"1"'})
    assert scheduled.status_code == 200, scheduled.text


def test_only_the_assigned_tester_or_the_office_does_the_visit(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    other_tester, dispatcher = add_member(tenant_a.id, "tester"), add_member(tenant_a.id, "dispatcher")
    order = office.order("scheduled")
    path = f"{ORDERS}/{order['id']}"
    current = {"If-Match": _etag(client, tenant_a.auth, order["id"])}
    for member in (other_tester, dispatcher):  # another tester's; a dispatcher holds no work_orders:perform
        assert client.post(f"{path}/start", headers=member.auth | current).status_code == 403
    assert client.post(f"{path}/cancel", headers=other_tester.auth | current).status_code == 403
    assert client.patch(path, json={"notes": "x"}, headers=other_tester.auth | current).status_code == 403
    office_admin = add_member(tenant_a.id, "office_admin")
    assert moved(client, office_admin.auth, order["id"], "start")["status"] == "in_progress"
    current = {"If-Match": _etag(client, tenant_a.auth, order["id"])}
    assert client.post(f"{path}/complete", headers=other_tester.auth | current).status_code == 403
    assert client.put(f"{path}/line-items", json={"line_items": [PART]},
                      headers=other_tester.auth | current).status_code == 403
    assert moved(client, office.tester.auth, order["id"], "complete")["status"] == "completed"
    assert client.delete(path, headers=dispatcher.auth).status_code == 403  # a dispatcher deletes nothing


def _schedule(client: TestClient, auth: dict[str, str], user_id: str, query: str = "") -> Any:
    return client.get(f"{ROOT}/testers/{user_id}/schedule{query}", headers=auth)


def test_a_testers_schedule_is_by_day_and_window_one_query_a_page(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    other = add_member(tenant_a.id, "tester")
    slots = [("2026-12-04", "13:00"), ("2026-12-02", "08:00"), ("2026-12-04", "08:00"), ("2026-12-03", "10:30"),
             ("2026-12-09", "08:00")]
    ids = {}
    for day, start in slots:
        order = office.order()
        moved(client, tenant_a.auth, order["id"], "schedule", {"scheduled_on": day, "tester_id": office.tester.user_id,
                                                               "window": {"start": start, "end": "17:00"}})
        ids[(day, start)] = order["id"]
    theirs = office.order()
    moved(client, tenant_a.auth, theirs["id"], "schedule", schedule_body(other.user_id, "2026-12-03"))
    week = "?from=2026-12-01&to=2026-12-07"
    pages, cursor = [], None
    while True:
        with recording_aws_calls() as calls:
            response = _schedule(client, office.tester.auth, office.tester.user_id,
                                 f"{week}&limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.text
        reads = [call.operation for call in calls if call.operation in ("Query", "Scan")]
        assert reads == ["Query"], reads
        pages.append([order["id"] for order in response.json()["data"]])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    expected = [ids[slot] for slot in sorted(slot for slot in ids if slot[0] <= "2026-12-07")]
    assert [order_id for page in pages for order_id in page] == expected and len(pages[0]) == 2
    first = _schedule(client, office.tester.auth, office.tester.user_id, week).json()["data"][0]
    assert first == client.get(f"{ORDERS}/{first['id']}", headers=tenant_a.auth).json() | {
        "updated_at": first["updated_at"]}
    # Rescheduling moves the order to its new tester and day; canceling takes it off.
    moved_order = ids[("2026-12-02", "08:00")]
    moved(client, tenant_a.auth, moved_order, "schedule", schedule_body(other.user_id, "2026-12-05"))
    moved(client, tenant_a.auth, ids[("2026-12-03", "10:30")], "cancel")
    mine = [o["id"] for o in _schedule(client, tenant_a.auth, office.tester.user_id, week).json()["data"]]
    assert mine == [ids[("2026-12-04", "08:00")], ids[("2026-12-04", "13:00")]]
    theirs_listed = _schedule(client, tenant_a.auth, other.user_id, "?from=2026-12-05&to=2026-12-05").json()["data"]
    assert [(o["id"], o["scheduled_on"]) for o in theirs_listed] == [(moved_order, "2026-12-05")]
    assert _schedule(client, tenant_a.auth, office.tester.user_id, "?from=2026-12-07&to=2026-12-01").status_code \
        == 422


def test_a_schedule_is_a_member_of_the_tenants(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    office = Office(client, tenant_a)
    office.order("scheduled")
    for user_id in (office.tester.user_id, "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "nope"):
        assert _schedule(client, tenant_b.auth, user_id).status_code == 404
    assert _schedule(client, tenant_a.auth, office.tester.user_id, "?from=2026-12-01").json()["data"]
    assert client.get(f"{ROOT}/customers/{office.customer['id']}/work-orders",
                      headers=tenant_b.auth).status_code == 404
    response = client.post(ORDERS, json=new_work_order(office.customer["id"], office.assembly_ids[0]),
                           headers=tenant_b.auth)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.customer_id"


def _mails() -> list[dict[str, Any]]:
    return [mail for mail in sent_mail() if mail["to"] == BILLING_EMAIL]


def test_the_customer_is_emailed_when_a_visit_is_booked_moved_or_canceled(client: TestClient, worker: Worker,
                                                                          tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    never_scheduled = office.order()
    moved(client, tenant_a.auth, never_scheduled["id"], "cancel")
    order = office.order()
    client.patch(f"{ORDERS}/{order['id']}", json={"assembly_ids": office.assembly_ids},
                 headers=tenant_a.auth | {"If-Match": '"1"'}).raise_for_status()
    moved(client, tenant_a.auth, order["id"], "schedule", schedule_body(office.tester.user_id, "2026-12-03"))
    worker.drain()
    (booked,) = _mails()
    assert booked["subject"] == "Backflow test scheduled: Thursday 3 December 2026, 08:00 to 10:00"
    text = booked["text"]
    assert "Dear Dana Reyes" in text and "Harbour Bakery" in text
    assert "Site: Main shop, 12 Harbour Road, Springfield" in text
    for assembly in office.assemblies:
        assert f"{assembly['type']} Watts 909, serial {assembly['serial']} ({assembly['type']} by the meter)" in text
    assert "Main shop, 12 Harbour Road" in booked["html"] and booked["list_unsubscribe"] is None
    moved(client, tenant_a.auth, order["id"], "schedule", schedule_body(office.tester.user_id, "2026-12-10"))
    moved(client, tenant_a.auth, order["id"], "cancel")
    worker.drain()
    canceled, rescheduled, _ = _mails()
    assert rescheduled["subject"] == "Backflow test scheduled: Thursday 10 December 2026, 08:00 to 10:00"
    assert canceled["subject"] == "Backflow test canceled: Thursday 10 December 2026"
    assert "is canceled" in canceled["text"]


def test_a_redelivered_event_emails_once(client: TestClient, worker: Worker, aws: Provisioned,
                                         tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    office.order("scheduled")
    worker.drain()
    outbox = next(i for i in outbox_items() if i["event_type"]["S"] == "fieldwork.work_order.scheduled")
    queue = next(q for q in aws.consumers if q.spec.name == "fieldwork.email_work_order_status")
    boto3.client("sqs", region_name="us-east-1").send_message(
        QueueUrl=queue.queue_url, MessageBody=json.dumps({"detail": json.loads(outbox["envelope"]["S"])}))
    worker.drain()
    assert len(_mails()) == 1


@pytest.mark.parametrize(("role", "allowed", "denied"), [
    ("office_admin", ["work_orders:create", "work_orders:delete", "work_orders:close", "work_orders:perform"], []),
    ("dispatcher", ["work_orders:create", "work_orders:read", "work_orders:update", "work_orders:schedule",
                    "work_orders:cancel"], ["work_orders:delete", "work_orders:perform", "work_orders:close"]),
    ("tester", ["work_orders:read", "work_orders:perform"],
     ["work_orders:create", "work_orders:update", "work_orders:schedule", "work_orders:cancel"]),
    ("billing", ["work_orders:read"], ["work_orders:create", "work_orders:perform"]),
    ("member", ["work_orders:read"], ["work_orders:create", "work_orders:perform"]),
    ("viewer", ["work_orders:read"], ["work_orders:update", "work_orders:schedule"]),
])
def test_each_role_holds_its_work_order_permissions(client: TestClient, tenant_a: Tenant, role: str,
                                                    allowed: list[str], denied: list[str]) -> None:
    held = set(client.get("/v1/me", headers=add_member(tenant_a.id, role).auth).json()["permissions"])
    assert set(allowed) <= held and not set(denied) & held
