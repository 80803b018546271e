"""The Stripe fake, driven by the official SDK as Atrium drives Stripe: its idempotency, errors and paging are
Stripe's, so code proved against it meets the same answers at Stripe."""

from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from stripe.params.checkout import SessionCreateParamsLineItem

from atrium.kernel import clock
from atrium_local.stripe_fake.server import StripeFakeServer
from tests.support.metering import EVENT_NAME


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


def test_a_metered_price_takes_no_quantity_and_the_interval_of_the_others(sdk: stripe.StripeClient,
                                                                          stripe_fake: StripeFakeServer) -> None:
    flat: SessionCreateParamsLineItem = {"price": "price_professional_monthly", "quantity": 2}
    cases: list[tuple[list[SessionCreateParamsLineItem], str]] = [
        ([flat, {"price": "price_professional_proofs_monthly", "quantity": 1}], "line_items[1][quantity]"),
        ([flat, {"price": "price_professional_proofs_yearly"}], "line_items")]
    for lines, param in cases:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            sdk.v1.checkout.sessions.create(params={"mode": "subscription", "line_items": lines})
        assert refused.value.param == param
    session = sdk.v1.checkout.sessions.create(params={"mode": "subscription", "line_items": [
        {"price": "price_professional_proofs_monthly"}, flat]})
    assert session.amount_total == 5800  # usage is billed after the period
    stripe_fake.fake.complete_checkout(session.id)
    metered, seats = sdk.v1.subscriptions.retrieve(str(sdk.v1.checkout.sessions.retrieve(session.id).subscription))[
        "items"].data
    assert "quantity" not in metered and seats.quantity == 2
    assert metered.price.recurring is not None and metered.price.recurring.usage_type == "metered"
    with pytest.raises(stripe.InvalidRequestError) as refused:
        sdk.v1.subscription_items.update(metered.id, params={"quantity": 3})
    assert refused.value.param == "quantity"


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


def _meter_event(sdk: stripe.StripeClient, customer_id: str, identifier: str, value: int, at: int) -> None:
    sdk.v1.billing.meter_events.create(params={
        "event_name": EVENT_NAME, "identifier": identifier, "timestamp": at,
        "payload": {"stripe_customer_id": customer_id, "value": str(value)}})


def test_meter_events_take_an_identifier_once_a_day_and_sum_by_customer_and_time(
        sdk: stripe.StripeClient) -> None:
    [meter] = [m for m in sdk.v1.billing.meters.list(params={"status": "active"}).data if m.event_name == EVENT_NAME]
    customer, other = sdk.v1.customers.create(), sdk.v1.customers.create()
    with clock.frozen(datetime(2026, 6, 10, 12, tzinfo=UTC)) as advance:
        noon = clock.epoch()
        _meter_event(sdk, customer.id, f"{customer.id}-1", 3, noon)
        _meter_event(sdk, other.id, f"{other.id}-1", 9, noon)
        with pytest.raises(stripe.InvalidRequestError) as again:
            _meter_event(sdk, customer.id, f"{customer.id}-1", 3, noon)
        assert again.value.user_message == f"An event already exists with identifier {customer.id}-1."
        with pytest.raises(stripe.InvalidRequestError) as too_old:
            _meter_event(sdk, customer.id, f"{customer.id}-2", 1, noon - 36 * 24 * 3600)
        assert too_old.value.param == "timestamp"
        advance(24 * 3600)  # Stripe forgets the identifier (24 hours at least)
        _meter_event(sdk, customer.id, f"{customer.id}-1", 4, noon + 60)

        def summed(start: int, end: int) -> float:
            page = sdk.v1.billing.meters.event_summaries.list(meter.id, params={
                "customer": customer.id, "start_time": start, "end_time": end})
            return sum(summary.aggregated_value for summary in page.data)

        assert (summed(noon, noon + 60), summed(noon, noon + 120), summed(noon + 60, noon + 120)) == (3, 7, 4)


def test_a_dropped_connection_is_an_answer_lost_before_or_after_the_fake_acts(
        sdk: stripe.StripeClient, stripe_fake: StripeFakeServer) -> None:
    before = len(stripe_fake.fake.account.customers)
    for answer_lost, made in ((False, 0), (True, 1)):
        with stripe_fake.fake.failing("POST", "/v1/customers", answer_lost=answer_lost) as rule, \
                pytest.raises(stripe.APIConnectionError):
            sdk.v1.customers.create()  # this client makes no retries
        assert rule.dropped == 1 and len(stripe_fake.fake.account.customers) == before + made
        before += made


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
