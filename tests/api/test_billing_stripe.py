"""Billing's Stripe routes against the Stripe fake: Checkout and the portal for the tenant's one customer, its
invoices paged through Stripe, Stripe's failures as problems; and the fake's signed events, which the receiver
takes once each, whatever their order."""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.kernel.errors import Unavailable
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium_local.stripe_fake.account import LOCAL_METERED_PRICE_IDS, LOCAL_PRICE_IDS, Object
from atrium_local.stripe_fake.server import StripeFakeServer
from tests.api.conftest import Tenant
from tests.support.invitations import table_items
from tests.support.outbox import outbox_items

CHECKOUT, PORTAL, INVOICES = "/v1/billing/checkout", "/v1/billing/portal", "/v1/billing/invoices"
PROFESSIONAL = {"plan": "professional", "interval": "month"}


def _customers(fake: StripeFakeServer, tenant: Tenant) -> list[Object]:
    return [c for c in fake.fake.account.customers.values() if c["metadata"].get("tenant_id") == tenant.id]


def _checkout(client: TestClient, tenant: Tenant, body: dict[str, str] = PROFESSIONAL) -> dict[str, Any]:
    response = client.post(CHECKOUT, json=body, headers=tenant.auth)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_checkout_opens_stripes_page_for_the_plans_price_and_its_metered_prices(client: TestClient, tenant_a: Tenant,
                                                                              stripe_fake: StripeFakeServer) -> None:
    answer = _checkout(client, tenant_a, {"plan": "enterprise", "interval": "year"})
    assert answer["url"].startswith(f"{stripe_fake.url}/checkout/cs_test_")
    session = stripe_fake.fake.account.checkout_session(answer["id"])
    [customer] = _customers(stripe_fake, tenant_a)
    assert (session["mode"], session["customer"], session["client_reference_id"]) == (
        "subscription", customer["id"], tenant_a.id)
    assert session["metadata"] == {"tenant_id": tenant_a.id, "plan": "enterprise", "interval": "year"}
    metered = list(LOCAL_METERED_PRICE_IDS["enterprise"]["year"].values())
    assert metered  # the seats (a quantity), then each metered price (none: Stripe refuses one)
    assert [(line["price"]["id"], line.get("quantity")) for line in stripe_fake.fake.account.line_items[
        answer["id"]]] == [(LOCAL_PRICE_IDS["enterprise"]["year"], 1), *((price, None) for price in metered)]
    assert session["success_url"] == f"{settings().web_url}/billing?checkout=success"
    assert httpx.get(answer["url"]).status_code == 200


def test_a_plan_or_interval_not_sold_is_422_and_reaches_no_stripe(client: TestClient, tenant_a: Tenant,
                                                                 stripe_fake: StripeFakeServer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "stripe_price_ids", {"professional": {"month": "price_professional_monthly"}})
    for body, field in (({"plan": "platinum", "interval": "month"}, "body.plan"),
                        ({"plan": "professional", "interval": "year"}, "body.interval"),
                        ({"plan": "professional", "interval": "week"}, "body.interval")):
        response = client.post(CHECKOUT, json=body, headers=tenant_a.auth)
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]
    assert _customers(stripe_fake, tenant_a) == [] and table_items("StripeCustomer") == []


def test_a_metered_price_of_a_meter_not_reported_is_refused_before_stripe(client: TestClient, tenant_a: Tenant,
                                                                         stripe_fake: StripeFakeServer,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "stripe_metered_price_ids", {
        "professional": {"month": {"proofs": "price_professional_proofs_monthly"}},
        "enterprise": {"year": {"storage_bytes": "price_x", "api_calls": "price_y"}}})  # another plan's, too
    response = client.post(CHECKOUT, json=PROFESSIONAL, headers=tenant_a.auth)
    assert response.status_code == 503, response.text
    assert "stripe_metered_price_ids names api_calls, storage_bytes, not a meter reported" in response.json()[
        "detail"]
    assert _customers(stripe_fake, tenant_a) == []
def test_one_customer_serves_checkout_and_the_portal(client: TestClient, tenant_a: Tenant,
                                                     stripe_fake: StripeFakeServer) -> None:
    _checkout(client, tenant_a)
    portal = client.post(PORTAL, headers=tenant_a.auth)
    assert portal.status_code == 200, portal.text
    _checkout(client, tenant_a)
    [customer] = _customers(stripe_fake, tenant_a)
    [stored] = table_items("StripeCustomer")
    assert stored["pk"]["S"] == f"T#{tenant_a.id}#StripeCustomer#{tenant_a.id}"
    assert stored["customer_id"]["S"] == customer["id"]
    session_id = portal.json()["url"].rsplit("/", 1)[1]
    assert stripe_fake.fake.account.portal_session(session_id)["customer"] == customer["id"]
    assert httpx.get(portal.json()["url"]).status_code == 200


def test_a_retry_after_a_lost_write_finds_the_customer_stripe_made(client: TestClient, tenant_a: Tenant,
                                                                    stripe_fake: StripeFakeServer,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    commit = UnitOfWork.commit

    def fails_once(uow: UnitOfWork) -> None:
        monkeypatch.setattr(UnitOfWork, "commit", commit)
        raise Unavailable("the database is busy or unreachable; retry")

    monkeypatch.setattr(UnitOfWork, "commit", fails_once)
    assert client.post(CHECKOUT, json=PROFESSIONAL, headers=tenant_a.auth).status_code == 503
    assert len(_customers(stripe_fake, tenant_a)) == 1 and table_items("StripeCustomer") == []
    _checkout(client, tenant_a)
    [customer] = _customers(stripe_fake, tenant_a)
    assert [item["customer_id"]["S"] for item in table_items("StripeCustomer")] == [customer["id"]]


def test_concurrent_first_checkouts_make_one_customer(client: TestClient, tenant_a: Tenant,
                                                      stripe_fake: StripeFakeServer) -> None:
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: client.post(CHECKOUT, json=PROFESSIONAL, headers=tenant_a.auth), range(4)))
    assert [answer.status_code for answer in answers] == [200] * 4
    [customer] = _customers(stripe_fake, tenant_a)
    sessions = [stripe_fake.fake.account.checkout_session(answer.json()["id"]) for answer in answers]
    assert {session["customer"] for session in sessions} == {customer["id"]}
    assert len(table_items("StripeCustomer")) == 1


def _pages(client: TestClient, tenant: Tenant, limit: int) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = client.get(INVOICES, params=params, headers=tenant.auth)
        assert response.status_code == 200, response.text
        yield response.json()
        if response.json()["next_cursor"] is None:
            return
        params["cursor"] = response.json()["next_cursor"]


def test_invoices_page_through_stripe_newest_first(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                                   stripe_fake: StripeFakeServer) -> None:
    assert list(_pages(client, tenant_a, 2)) == [{"data": [], "next_cursor": None}]  # no customer yet
    _checkout(client, tenant_a)
    [customer] = _customers(stripe_fake, tenant_a)
    made = [stripe_fake.fake.account.add_invoice(customer["id"], 1000 * n) for n in range(1, 6)]
    pages = list(_pages(client, tenant_a, 2))
    assert [len(page["data"]) for page in pages] == [2, 2, 1]
    listed = [invoice for page in pages for invoice in page["data"]]
    assert [invoice["number"] for invoice in listed] == [invoice["number"] for invoice in reversed(made)]
    assert listed[0] | {"created_at": None} == {
        "id": made[-1]["id"], "number": made[-1]["number"], "status": "paid", "currency": "usd", "total": 5000,
        "amount_due": 5000, "amount_paid": 5000, "created_at": None,
        "hosted_invoice_url": made[-1]["hosted_invoice_url"], "pdf_url": made[-1]["invoice_pdf"]}
    cursor = pages[0]["next_cursor"]
    for auth, sent in ((tenant_b.auth, cursor), (tenant_a.auth, cursor[:-2] + "xx")):
        assert client.get(INVOICES, params={"cursor": sent}, headers=auth).status_code == 400


def test_stripe_unreachable_is_503_and_an_error_answer_502(client: TestClient, tenant_a: Tenant,
                                                            stripe_fake: StripeFakeServer,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for base, status in (("http://127.0.0.1:9", 503), (f"{stripe_fake.url}/elsewhere", 502)):
        monkeypatch.setattr(settings(), "stripe_api_base", base)
        for method, path in (("POST", CHECKOUT), ("POST", PORTAL)):
            response = client.request(method, path, json=PROFESSIONAL, headers=tenant_a.auth)
            assert response.status_code == status, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert "Stripe" in response.json()["detail"]
    assert table_items("StripeCustomer") == []


def _emitted() -> list[dict[str, Any]]:
    envelopes = [json.loads(item["envelope"]["S"]) for item in outbox_items()]
    return [e["data"] for e in envelopes if e["type"] == "billing.stripe_event"]


@pytest.mark.parametrize(("order", "duplicate"), [("sent", False), ("reversed", False), ("reversed", True)])
def test_a_completed_checkouts_events_are_received_once_each(client: TestClient, tenant_a: Tenant,
                                                             stripe_webhook: StripeFakeServer, order: str,
                                                             duplicate: bool) -> None:
    session_id = _checkout(client, tenant_a)["id"]
    deliveries = stripe_webhook.fake.complete_checkout(session_id, order=order, duplicate=duplicate)
    assert {d.status for d in deliveries} == {200} and len(deliveries) == (6 if duplicate else 3)
    emitted = _emitted()
    assert len({e["stripe_event_id"] for e in emitted}) == len(emitted) == 3
    assert sorted(e["stripe_type"] for e in emitted) == [
        "checkout.session.completed", "customer.subscription.created", "invoice.paid"]
    by_type = {e["stripe_type"]: e["payload"]["data"]["object"] for e in emitted}
    subscription = by_type["customer.subscription.created"]
    assert by_type["checkout.session.completed"]["subscription"] == subscription["id"]
    assert subscription["metadata"] == {"tenant_id": tenant_a.id, "plan": "professional", "interval": "month"}


def test_paying_on_the_hosted_page_sends_the_events_and_returns_to_the_app(client: TestClient, tenant_a: Tenant,
                                                                           stripe_webhook: StripeFakeServer) -> None:
    url = _checkout(client, tenant_a)["url"]
    paid = httpx.post(f"{url}/pay")
    assert paid.status_code == 303 and paid.headers["location"] == f"{settings().web_url}/billing?checkout=success"
    assert len(_emitted()) == 3
    assert httpx.post(f"{url}/pay").status_code == 400  # a session completes once
