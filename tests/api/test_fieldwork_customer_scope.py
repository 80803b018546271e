"""The customer-scope matrix: a customer user (the fieldwork ``customer`` role, scoped to one customer) reads their
own customer's records (and gets their invoices' payment links) on every route declared ``scoped``, and gets a 404
for another customer's ids, as for ids that do not exist. The routes come from the route registry, the ids from the
contexts' ``PATH_IDS``: a new scoped route joins the matrix without anyone editing this file. (That the other routes
refuse a customer user with a 403, whatever their permission, is the role matrix's, in ``test_route_matrix.py``.)"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.apps.fieldwork.invoices.testing import a_draft_invoice, a_sent_invoice
from atrium.apps.fieldwork.testing import a_customer
from atrium.kernel.http.routing import RouteSpec
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member

pytestmark = pytest.mark.slow

SCOPED = [spec for spec in manifest.routes() if spec.scoped]
# A customer sees an invoice once it is sent (a draft is the office's): the matrix's invoice is a sent one.
IDS = manifest.path_ids() | {"invoice_id": a_sent_invoice}


def _params(spec: RouteSpec) -> list[str]:
    return [part[1:-1] for part in spec.path.split("/") if part.startswith("{")]


def _getter(param: str) -> RouteSpec:
    """The scoped route that reads one record named by ``param``."""
    return next(spec for spec in SCOPED if spec.method == "GET" and spec.path.endswith(f"{{{param}}}"))


def _customer_of(client: TestClient, owner: Tenant, param: str, record_id: str) -> str:
    record: dict[str, Any] = client.get(_getter(param).path.format(**{param: record_id}), headers=owner.auth).json()
    return str(record["id"] if param == "customer_id" else record["customer_id"])


def test_every_scoped_route_serves_a_customer_user_their_own_records_and_no_one_elses(
        client: TestClient, tenant_a: Tenant) -> None:
    routes = [spec for spec in SCOPED if _params(spec)]
    assert {"fieldwork.get_site", "fieldwork.get_report", "fieldwork.list_customer_work_orders",
            "fieldwork.get_invoice", "fieldwork.create_invoice_payment_link"} <= {
        spec.operation_id for spec in routes}
    records = {param: IDS[param](client, tenant_a) for param in {p for spec in routes for p in _params(spec)}}
    customers = {param: _customer_of(client, tenant_a, param, record_id) for param, record_id in records.items()}
    users = {customer: add_member(tenant_a.id, "customer", scope=customer) for customer in {*customers.values()}}
    stranger = add_member(tenant_a.id, "customer", scope=a_customer(client, tenant_a))
    answers: dict[str, tuple[int, int]] = {}
    for spec in routes:
        (param,) = _params(spec)
        path = spec.path.format(**{param: records[param]})
        own, other = users[customers[param]], stranger
        answers[spec.operation_id] = (client.request(spec.method, path, headers=own.auth).status_code,
                                      client.request(spec.method, path, headers=other.auth).status_code)
    assert {op: codes for op, codes in answers.items() if codes != (200, 404)} == {}


def _customer_user(client: TestClient, tenant: Tenant) -> tuple[str, Member]:
    customer_id = a_customer(client, tenant)
    return customer_id, add_member(tenant.id, "customer", scope=customer_id)


def test_a_customer_users_customer_list_is_their_own_customer(client: TestClient, tenant_a: Tenant) -> None:
    a_customer(client, tenant_a)
    customer_id, user = _customer_user(client, tenant_a)
    assert len(client.get("/v1/fieldwork/customers", headers=tenant_a.auth).json()["data"]) > 1
    listed = client.get("/v1/fieldwork/customers", headers=user.auth).json()
    assert [customer["id"] for customer in listed["data"]] == [customer_id]
    assert listed["next_cursor"] is None


@pytest.mark.parametrize("path", ["/v1/fieldwork/due-assemblies", "/v1/fieldwork/work-orders",
                                  "/v1/fieldwork/overdue-assemblies"])
def test_a_customer_user_is_refused_the_tenant_wide_lists(client: TestClient, tenant_a: Tenant, path: str) -> None:
    _, user = _customer_user(client, tenant_a)
    response = client.get(path, headers=user.auth)
    assert response.status_code == 403, response.text


def test_a_customer_user_does_not_see_a_draft_invoice(client: TestClient, tenant_a: Tenant) -> None:
    draft = client.get(f"/v1/fieldwork/invoices/{a_draft_invoice(client, tenant_a)}", headers=tenant_a.auth).json()
    user = add_member(tenant_a.id, "customer", scope=draft["customer_id"])
    assert client.get(f"/v1/fieldwork/invoices/{draft['id']}", headers=user.auth).status_code == 404
    listed = client.get(f"/v1/fieldwork/customers/{draft['customer_id']}/invoices", headers=user.auth)
    assert listed.status_code == 200 and listed.json()["data"] == []
    assert [i["id"] for i in client.get(f"/v1/fieldwork/customers/{draft['customer_id']}/invoices",
                                        headers=tenant_a.auth).json()["data"]] == [draft["id"]]
