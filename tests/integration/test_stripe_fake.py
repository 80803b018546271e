"""The Stripe fake, driven by the official SDK as Atrium drives Stripe: its idempotency, errors and paging are
Stripe's, so code proved against it meets the same answers at Stripe."""

from typing import Any

import pytest
import stripe

from atrium_local.stripe_fake.server import StripeFakeServer


@pytest.fixture
def sdk(stripe_fake: StripeFakeServer) -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_fake", base_addresses={"api": stripe_fake.url})


def test_an_idempotency_key_replays_its_first_answer_and_refuses_other_parameters(sdk: stripe.StripeClient) -> None:
    first = sdk.v1.customers.create(params={"metadata": {"tenant_id": "ten_idem"}}, options={"idempotency_key": "k"})
    again = sdk.v1.customers.create(params={"metadata": {"tenant_id": "ten_idem"}}, options={"idempotency_key": "k"})
    assert again.last_response is not None and again.last_response.headers["Idempotent-Replayed"] == "true"
    assert again.id == first.id
    with pytest.raises(stripe.IdempotencyError):
        sdk.v1.customers.create(params={"metadata": {"tenant_id": "ten_other"}}, options={"idempotency_key": "k"})
    assert sdk.v1.customers.retrieve(first.id).to_dict()["metadata"] == {"tenant_id": "ten_idem"}


def test_errors_are_stripes(sdk: stripe.StripeClient, stripe_fake: StripeFakeServer) -> None:
    with pytest.raises(stripe.AuthenticationError):
        stripe.StripeClient("pk_not_secret", base_addresses={"api": stripe_fake.url}).v1.customers.retrieve("cus_1")
    with pytest.raises(stripe.InvalidRequestError) as missing:
        sdk.v1.subscriptions.retrieve("sub_missing")
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    customer = sdk.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as wrong_mode:
        sdk.v1.checkout.sessions.create(params={"mode": "payment", "customer": customer.id,
                                                "line_items": [{"price": "price_professional_monthly"}]})
    assert wrong_mode.value.param == "line_items[0][price]"


def test_a_payment_mode_session_completes_with_one_event(sdk: stripe.StripeClient,
                                                        stripe_fake: StripeFakeServer) -> None:
    session = sdk.v1.checkout.sessions.create(params={"mode": "payment", "line_items": [{"quantity": 2, "price_data": {
        "currency": "usd", "unit_amount": 4500, "product_data": {"name": "Invoice FW-1"}}}]})
    assert (session.amount_total, session.status) == (9000, "open")
    assert stripe_fake.fake.complete_checkout(session.id) == []  # no webhook endpoint: the events are kept
    completed = sdk.v1.checkout.sessions.retrieve(session.id)
    assert (completed.status, completed.payment_status, completed.subscription) == ("complete", "paid", None)
    assert stripe_fake.fake.account.events[-1]["type"] == "checkout.session.completed"


def test_invoices_page_newest_first_after_starting_after(sdk: stripe.StripeClient,
                                                          stripe_fake: StripeFakeServer) -> None:
    customer = sdk.v1.customers.create()
    made = [stripe_fake.fake.account.add_invoice(customer.id, amount)["id"] for amount in (100, 200, 300)]
    first = sdk.v1.invoices.list(params={"customer": customer.id, "limit": 2})
    rest = sdk.v1.invoices.list(params={"customer": customer.id, "limit": 2, "starting_after": first.data[-1].id})
    assert [i.id for i in first.data + rest.data] == made[::-1] and (first.has_more, rest.has_more) == (True, False)


def test_a_connected_accounts_sessions_are_its_own_and_their_events_name_it(sdk: stripe.StripeClient,
                                                                              stripe_fake: StripeFakeServer) -> None:
    office = stripe_fake.fake.account.connect(business_name="Harbour Backflow Co.")["id"]
    assert sdk.v1.accounts.retrieve(office).business_profile.name == "Harbour Backflow Co."  # type: ignore[union-attr]
    line = {"price_data": {"currency": "usd", "unit_amount": 8500, "product_data": {"name": "Invoice INV-000001"}}}
    params: Any = {"mode": "payment", "line_items": [line]}
    session = sdk.v1.checkout.sessions.create(params=params, options={"stripe_account": office})
    assert sdk.v1.checkout.sessions.retrieve(session.id, options={"stripe_account": office}).status == "open"
    with pytest.raises(stripe.InvalidRequestError):  # not the platform's
        sdk.v1.checkout.sessions.retrieve(session.id)
    with pytest.raises(stripe.PermissionError) as unknown:
        sdk.v1.checkout.sessions.create(params=params, options={"stripe_account": "acct_1NotConnected"})
    assert unknown.value.http_status == 403
    stripe_fake.fake.complete_checkout(session.id)
    assert stripe_fake.fake.account.events[-1]["account"] == office
