"""Billing's whole loop on the local stack, through Atrium's public API and the Stripe fake's hosted page and
controls: a tenant signs up on the free plan, subscribes to professional through Checkout, uses it (counted), fails
a renewal (past due; its billing contact emailed once, though Stripe's events came reversed and twice; the plan held
through the grace period), falls to the free plan's limits once the grace period has passed (the stack's clock run
ahead) with its data kept, and pays: professional again."""

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.local_stack import LocalStack, ok, until

PASSWORD = "correct horse battery staple"
EMAIL = "owner@studio.example"
DAY = 24 * 3600
EXPORT = {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z", "format": "jsonl"}
POLL = 1.0  # seconds between looks: the free plan allows a tenant 60 requests a minute


@pytest.fixture
def free_stack() -> Iterator[LocalStack]:
    """A local stack whose new tenants start on the free plan (the local default is enterprise, for the demo)."""
    started = LocalStack(settings={"ATRIUM_BILLING_DEFAULT_PLAN": "free"})
    try:
        started.wait_ready()
        yield started
    finally:
        started.kill()


def _signed_in(api: httpx.Client) -> None:
    token = ok(api.post("/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}))["access_token"]
    api.headers["Authorization"] = f"Bearer {token}"


def _plan(api: httpx.Client) -> tuple[str, str]:
    subscription = ok(api.get("/v1/billing/subscription"))
    return subscription["plan"], subscription["status"]


def _export(api: httpx.Client) -> httpx.Response:
    """A route of the audit_export feature (professional and up)."""
    return api.post("/v1/audit/exports", json=EXPORT, headers={"Idempotency-Key": str(uuid.uuid4())})


def _subscription_id(stack: LocalStack) -> str:
    events: list[dict[str, Any]] = httpx.get(f"{stack.stripe}/_fake/events").json()["data"]
    return next(str(event["data"]["object"]["id"]) for event in events
                if event["type"] == "customer.subscription.created")


def _dunning_mails(stack: LocalStack) -> list[dict[str, Any]]:
    return [mail for mail in httpx.get(f"{stack.base}/_local/mail").json()
            if mail["to"] == EMAIL and "Payment failed" in mail["subject"]]


def test_free_checkout_usage_failed_renewal_grace_fallback_and_payment(free_stack: LocalStack) -> None:
    stack, api = free_stack, httpx.Client(base_url=free_stack.base, timeout=30)
    ok(api.post("/v1/signup", json={"tenant_name": "Lumen Studio", "email": EMAIL, "password": PASSWORD}))
    _signed_in(api)
    assert _plan(api) == ("free", "active")
    refused = _export(api)
    assert refused.status_code == 402 and refused.json()["type"].endswith("feature-not-in-plan"), refused.text

    checkout = ok(api.post("/v1/billing/checkout", json={"plan": "professional", "interval": "month"}))
    assert httpx.post(f"{checkout['url']}/pay").status_code == 303  # the customer pays on Stripe's page
    until(lambda: _plan(api) == ("professional", "active"), "the subscription after Checkout", every=POLL)
    assert _export(api).status_code == 202

    proof = ok(api.post("/v1/proofs", json={"title": "Spring campaign poster"}))
    day = proof["created_at"][:10]
    usage = f"/v1/usage?meter=proofs&from={day}T00:00:00Z&to={day}T23:59:59Z"
    until(lambda: ok(api.get(usage))["total"] == 1, "the proof counted", every=POLL)

    subscription = _subscription_id(stack)
    failed = httpx.post(f"{stack.stripe}/_fake/subscriptions/{subscription}/fail_payment",
                        json={"order": "reversed", "duplicate": True})
    assert failed.status_code == 200, failed.text
    until(lambda: _plan(api) == ("professional", "past_due"), "past due, in its grace period", every=POLL)
    until(lambda: _dunning_mails(stack), "the billing contact's email", every=POLL)

    ok(httpx.put(f"{stack.base}/_local/clock", json={"ahead_seconds": 8 * DAY}))  # past the 7 days' grace
    _signed_in(api)  # the access token has expired meanwhile
    assert _plan(api) == ("free", "past_due")
    assert _export(api).status_code == 402
    assert [p["id"] for p in ok(api.get("/v1/proofs"))["data"]] == [proof["id"]]  # kept, readable

    assert httpx.post(f"{stack.stripe}/_fake/subscriptions/{subscription}/pay").status_code == 200
    until(lambda: _plan(api) == ("professional", "active"), "the plan back once paid", every=POLL)
    assert _export(api).status_code == 202
    assert len(_dunning_mails(stack)) == 1
