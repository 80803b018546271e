"""Stripe's events make the tenant's subscription (billing.sync_subscription), against the Stripe fake: checkout
puts the tenant on its plan; a failed payment is past_due with a grace period, then the free plan's limits; a paid
invoice restores it; any order and duplicates end in Stripe's state; each failed invoice is announced once. A
per-seat plan's quantity follows the active members (billing.sync_seats)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import permutations
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.billing.subscriptions.store import find_subscription
from atrium.billing.sync.consumers import TENANT_DELETION_EVENTS
from atrium.billing.sync.deletion import follow_deletion
from atrium.billing.sync.plan_item import UnknownPrice
from atrium.billing.sync.seats import sync_seats
from atrium.billing.sync.stripe_events import sync_subscription
from atrium.kernel import clock, ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from atrium_local.mailbox import sent_mail
from atrium_local.stripe_fake.account import LOCAL_METERED_PRICE_IDS, LOCAL_PRICE_IDS
from atrium_local.stripe_fake.server import StripeFakeServer
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant
from tests.support.people import add_member
from tests.support.step_up import stepped_up
from tests.support.stripe_webhook import stripe_event_envelope

SUBSCRIPTION, EXPORTS = "/v1/billing/subscription", "/v1/audit/exports"
DELETION = "/v1/tenant/deletion"


def _subscription(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get(SUBSCRIPTION, headers=tenant.auth)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _export_status(client: TestClient, tenant: Tenant) -> int:
    """A feature gate: audit exports come with professional, not with free."""
    response = client.post(EXPORTS, json={"from": "2026-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"},
                           headers=tenant.auth)
    return int(response.status_code)


def _subscribed(client: TestClient, tenant: Tenant, fake: StripeFakeServer, worker: Worker) -> str:
    """Checkout for professional, paid: the fake's events reach the receiver and the worker runs the consumer."""
    session = client.post("/v1/billing/checkout", json={"plan": "professional", "interval": "month"},
                          headers=tenant.auth).json()["id"]
    fake.fake.complete_checkout(session)
    worker.drain()
    return str(fake.fake.account.checkout_session(session)["subscription"])


def _login(client: TestClient, tenant: Tenant) -> str:
    response = client.post("/v1/auth/login", json={"email": tenant.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_checkout_past_due_grace_and_recovery(client: TestClient, tenant_a: Tenant, stripe_webhook: StripeFakeServer,
                                              worker: Worker) -> None:
    contact = add_member(tenant_a.id, "billing", email="payer@example.com")
    subscription_id = _subscribed(client, tenant_a, stripe_webhook, worker)
    shown = _subscription(client, tenant_a)
    assert (shown["plan"], shown["status"], shown["interval"]) == ("professional", "active", "month")
    assert _export_status(client, tenant_a) == 202

    stripe_webhook.fake.fail_payment(subscription_id, duplicate=True)
    worker.drain()
    assert _subscription(client, tenant_a)["status"] == "past_due"
    with tenant_scope(tenant_a.id):
        item = find_subscription(tenant_a.id, consistent=True)
    assert item is not None and item.grace_until is not None
    assert timedelta(days=6, hours=23) < item.grace_until - clock.now() <= timedelta(days=7)
    [mail] = [mail for mail in sent_mail() if "Payment failed" in mail["subject"]]  # the billing member only
    assert mail["to"] == contact.email and "professional" in mail["text"].lower()
    invoice = stripe_webhook.fake.account.invoice(stripe_webhook.fake.account.subscription(subscription_id)[
        "latest_invoice"])
    assert invoice["hosted_invoice_url"] in mail["text"] and invoice["number"] in mail["text"]
    assert _export_status(client, tenant_a) == 202  # the plan holds during grace

    with clock.frozen(item.grace_until + timedelta(seconds=1)):
        later = replace(tenant_a, token=_login(client, tenant_a))  # the first access token has expired
        assert _subscription(client, later)["plan"] == "free"
        assert _export_status(client, later) == 402

    stripe_webhook.fake.pay_invoice(subscription_id)
    worker.drain()
    shown = _subscription(client, tenant_a)
    assert (shown["plan"], shown["status"]) == ("professional", "active")
    with tenant_scope(tenant_a.id):
        item = find_subscription(tenant_a.id, consistent=True)
    assert item is not None and item.grace_until is None




def _stored(tenant_id: str) -> tuple[Any, ...]:
    with tenant_scope(tenant_id):
        item = find_subscription(tenant_id, consistent=True)
    assert item is not None
    return (item.plan, item.status, item.interval, item.current_period_end, item.grace_until, item.stripe_as_of,
            item.stripe_subscription_id)


def test_any_order_delivered_twice_ends_in_stripes_state_with_one_email(aws: Any,
                                                                         stripe_fake: StripeFakeServer) -> None:
    account = stripe_fake.fake.account
    with clock.frozen(clock.now()) as advance, tenant_scope(PLATFORM_TENANT_ID):
        for order in permutations(range(4)):
            tenant_id = ids.new_id("ten")
            payer = add_member(tenant_id, "owner")
            plan = {"tenant_id": tenant_id}
            session = account.create_checkout_session({
                "mode": "subscription", "line_items": [{"price": LOCAL_PRICE_IDS["professional"]["month"]}],
                "metadata": plan, "subscription_data": {"metadata": plan}})
            checkout, created, _paid = account.complete_checkout(session["id"])
            advance(3600)
            failed, updated = account.fail_payment(session["subscription"])
            events = [checkout, created, failed, updated]
            for position in [*order, *order]:
                sync_subscription(stripe_event_envelope(events[position]))
            state = _stored(tenant_id)
            assert state[:2] == ("professional", "past_due") and state[4] == clock.now() + timedelta(days=7)
            assert state[5] == datetime.fromtimestamp(failed["created"], UTC), order
            assert len([mail for mail in sent_mail() if mail["to"] == payer.email]) == 1, order


def test_the_plans_item_beside_metered_items_in_either_order_gives_the_plan_and_takes_the_seats(
        aws: Any, stripe_fake: StripeFakeServer) -> None:
    """A subscription bills the plan's price and a metered price per reported meter, in any order: the plan and
    interval are the plan price's, and so is the seats' quantity (a metered item has none; Stripe refuses one). A
    subscription billing no plan's price is refused: retried, then the DLQ."""
    account = stripe_fake.fake.account
    flat: dict[str, Any] = {"price": LOCAL_PRICE_IDS["professional"]["year"], "quantity": 3}
    metered: list[dict[str, Any]] = [{"price": price}
                                     for price in LOCAL_METERED_PRICE_IDS["professional"]["year"].values()]
    assert metered
    for lines in ([flat, *metered], [*metered, flat], metered):
        tenant_id = ids.new_id("ten")
        add_member(tenant_id, "owner")  # one seat
        plan = {"tenant_id": tenant_id}
        with tenant_scope(PLATFORM_TENANT_ID):
            session = account.create_checkout_session({"mode": "subscription", "line_items": lines, "metadata": plan,
                                                       "subscription_data": {"metadata": plan}})
            checkout = stripe_event_envelope(account.complete_checkout(session["id"])[0])
            if lines is metered:
                with pytest.raises(UnknownPrice, match="bills no plan's price"):
                    sync_subscription(checkout)
                continue
            sync_subscription(checkout)
        assert _stored(tenant_id)[:3] == ("professional", "active", "year")
        with tenant_scope(tenant_id):
            sync_seats(Envelope(id=ids.new_id("evt"), type="member.joined", tenant_id=tenant_id,
                                occurred_at=clock.now(), actor=Ref(type="test", id="fixture"),
                                subject=Ref(type="user", id="usr_1"), data={}))
        items = account.subscription(session["subscription"])["items"]["data"]
        assert [(item["price"]["id"], item.get("quantity")) for item in items] == [
            (line["price"], 1 if line is flat else None) for line in lines]


def test_a_per_seat_subscription_bills_the_active_members_once_per_change(
        client: TestClient, tenant_a: Tenant, stripe_webhook: StripeFakeServer, worker: Worker) -> None:
    """Checkout asks for the seats; members removed or deactivated set the quantity to the count read afresh, so the
    first event handled already sets the final count; a late event, delivered twice, and a Stripe answer lost send
    one change."""
    leaving, deactivated = add_member(tenant_a.id, "viewer"), add_member(tenant_a.id, "viewer")
    with tenant_scope(tenant_a.id):
        seats = manifest.usage_counts()["seats"](tenant_a.id)
    subscription_id = _subscribed(client, tenant_a, stripe_webhook, worker)
    account = stripe_webhook.fake.account
    item = account.subscription(subscription_id)["items"]["data"][0]

    def updates() -> int:
        return sum(1 for event in account.events if event["type"] == "customer.subscription.updated"
                   and event["data"]["object"]["id"] == subscription_id)

    assert (item["quantity"], updates()) == (seats, 0)  # the subscription's own event found it right

    assert client.delete(f"/v1/users/{leaving.user_id}", headers=tenant_a.auth).status_code == 204
    etag = client.get(f"/v1/users/{deactivated.user_id}", headers=tenant_a.auth).headers["etag"]
    assert client.patch(f"/v1/users/{deactivated.user_id}", json={"status": "deactivated"},
                        headers=tenant_a.auth | {"If-Match": etag}).status_code == 200
    worker.drain()
    assert (item["quantity"], updates()) == (seats - 2, 1)

    add_member(tenant_a.id, "viewer")  # a member whose event is still to come
    late = Envelope(id=ids.new_id("evt"), type="member.joined", tenant_id=tenant_a.id,
                    occurred_at=clock.now() - timedelta(hours=1), actor=Ref(type="user", id=tenant_a.user_id),
                    subject=Ref(type="user", id=leaving.user_id), data={})
    with stripe_webhook.fake.failing("POST", f"/v1/subscription_items/{item['id']}", answer_lost=True), \
            tenant_scope(tenant_a.id):
        sync_seats(late)  # the SDK sends the change again under its key: Stripe replays it
        sync_seats(late)
    assert (item["quantity"], updates()) == (seats - 1, 2)


def test_a_deletion_ends_the_subscription_on_its_due_date_once_and_its_cancellation_keeps_it(
        client: TestClient, tenant_a: Tenant, stripe_webhook: StripeFakeServer, worker: Worker) -> None:
    assert set(TENANT_DELETION_EVENTS) <= {event_type.name for event_type in manifest.event_types()}
    subscription_id = _subscribed(client, tenant_a, stripe_webhook, worker)
    account = stripe_webhook.fake.account

    def updates() -> int:
        return sum(1 for event in account.events if event["type"] == "customer.subscription.updated"
                   and event["data"]["object"]["id"] == subscription_id)

    before = updates()
    requested = client.post(DELETION, json={}, headers=stepped_up(client, tenant_a.auth))
    assert requested.status_code == 202, requested.text
    worker.drain()
    due = int(datetime.fromisoformat(requested.json()["due_at"]).timestamp())
    assert (account.subscription(subscription_id)["cancel_at"], updates()) == (due, before + 1)

    cancelled = client.delete(DELETION, headers=stepped_up(client, tenant_a.auth))
    assert cancelled.status_code == 200, cancelled.text
    worker.drain()
    assert (account.subscription(subscription_id)["cancel_at"], updates()) == (None, before + 2)

    late = Envelope(id=ids.new_id("evt"), type="tenant.deletion_requested", tenant_id=tenant_a.id,
                    occurred_at=clock.now(), actor=Ref(type="user", id=tenant_a.user_id),
                    subject=Ref(type="tenant", id=tenant_a.id), data={"due_at": requested.json()["due_at"]})
    with stripe_webhook.fake.failing("POST", f"/v1/subscriptions/{subscription_id}", answer_lost=True), \
            tenant_scope(tenant_a.id):
        follow_deletion(late)  # the SDK sends it again under its key: Stripe replays it
        follow_deletion(late)
    assert (account.subscription(subscription_id)["cancel_at"], updates()) == (due, before + 3)
