"""Plans and entitlements: the public plans, the tenant's subscription view, each gate's 402 problem, a downgrade
that keeps data readable, and an operator's custom plan. Tenants here are put on the plan each test is about (the
suite's default plan is enterprise, tests/conftest.py)."""

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.billing.api import PlanId, SubscriptionState, apply_subscription_state
from atrium.identity.members import invitation_emails
from atrium.identity.operator.roles import OPERATOR_SUPPORT
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant
from tests.api.test_operator import _operator
from tests.support.invitations import invite
from tests.support.people import add_member

SUBSCRIPTION = "/v1/billing/subscription"
ENDPOINTS = "/v1/webhook-endpoints"
EXPORTS = "/v1/audit/exports"
_seconds = count(1)


def _subscribe(tenant: Tenant, plan: PlanId, status: str = "active", **fields: Any) -> None:
    """As the Stripe consumer would: each state newer than the last."""
    as_of = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=next(_seconds))
    state = SubscriptionState.model_validate({"plan": plan, "status": status} | fields)
    assert apply_subscription_state(tenant.id, state, as_of=as_of)


def _endpoint(client: TestClient, tenant: Tenant, number: int = 1) -> Any:
    return client.post(ENDPOINTS, json={"url": f"https://example.com/hook{number}", "event_types": ["member.joined"]},
                       headers=tenant.auth)


def _export(client: TestClient, tenant: Tenant) -> Any:
    return client.post(EXPORTS, json={"from": "2026-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"},
                       headers=tenant.auth)


def _limits(client: TestClient, tenant: Tenant) -> dict[str, dict[str, Any]]:
    response = client.get(SUBSCRIPTION, headers=tenant.auth)
    assert response.status_code == 200, response.text
    return {limit["name"]: limit for limit in response.json()["limits"]}


def test_the_plans_are_public_with_their_features_limits_and_stripe_prices(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "stripe_price_ids", {"professional": {"month": "price_pro_monthly"}})
    response = client.get("/v1/plans")
    assert response.status_code == 200, response.text
    plans = {plan["id"]: plan for plan in response.json()["data"]}
    assert list(plans) == ["free", "professional", "enterprise"]
    assert plans["free"]["features"] == [] and plans["free"]["prices"] == []
    assert "audit_export" in plans["professional"]["features"] and "plugins" not in plans["professional"]["features"]
    assert "plugins" in plans["enterprise"]["features"] and plans["enterprise"]["limits"]["seats"] is None
    assert plans["free"]["limits"]["webhook_endpoints"] == 1
    prices = {price["interval"]: price for price in plans["professional"]["prices"]}
    assert prices["month"] == {"interval": "month", "amount_cents": 2900, "currency": "usd",
                                 "stripe_price_id": "price_pro_monthly"}
    assert prices["year"]["stripe_price_id"] is None  # not configured on this stage


def test_a_new_tenant_is_on_the_default_plan_with_its_usage(client: TestClient, tenant_a: Tenant,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "billing_default_plan", "free")
    add_member(tenant_a.id, "member")
    response = client.get(SUBSCRIPTION, headers=tenant_a.auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["plan"], body["status"], body["current_period_end"], body["features"]) == ("free", "active", None, [])
    limits = {limit["name"]: limit for limit in body["limits"]}
    assert limits["seats"] == {"name": "seats", "allowed": 3, "usage": 2, "period": None}
    assert limits["webhook_endpoints"]["usage"] == 0
    assert limits["proofs_per_month"] == {"name": "proofs_per_month", "allowed": 50, "usage": 0, "period": "month"}
    # Metering does not count this one yet.
    assert limits["ai_spend_cents_per_month"]["usage"] is None


def test_the_subscription_shows_stripe_state(client: TestClient, tenant_a: Tenant) -> None:
    _subscribe(tenant_a, PlanId.PROFESSIONAL, "trialing", interval="year",
               current_period_start=datetime(2026, 3, 1, tzinfo=UTC),
               current_period_end=datetime(2027, 3, 1, tzinfo=UTC),
               trial_end=datetime(2026, 3, 15, tzinfo=UTC), cancel_at_period_end=True)
    body = client.get(SUBSCRIPTION, headers=tenant_a.auth).json()
    assert {key: body[key] for key in ("plan", "plan_name", "status", "interval", "current_period_start",
                                        "current_period_end", "trial_end", "cancel_at_period_end")} == {
        "plan": "professional", "plan_name": "Professional", "status": "trialing", "interval": "year",
        "current_period_start": "2026-03-01T00:00:00.000Z", "current_period_end": "2027-03-01T00:00:00.000Z",
        "trial_end": "2026-03-15T00:00:00.000Z", "cancel_at_period_end": True}


def test_a_feature_not_in_the_plan_is_a_402_naming_the_plans_that_have_it(client: TestClient,
                                                                         tenant_a: Tenant) -> None:
    _subscribe(tenant_a, PlanId.FREE)
    refused = _export(client, tenant_a)
    assert refused.status_code == 402, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == "urn:atrium:problem:feature-not-in-plan"
    assert (problem["feature"], problem["plan"], problem["plans"]) == ("audit_export", "free",
                                                                      ["professional", "enterprise"])
    _subscribe(tenant_a, PlanId.PROFESSIONAL)
    assert _export(client, tenant_a).status_code == 202


def test_webhook_endpoints_past_the_plan_are_a_402_naming_the_limit_and_usage(client: TestClient,
                                                                             tenant_a: Tenant) -> None:
    _subscribe(tenant_a, PlanId.FREE)
    assert _endpoint(client, tenant_a, 1).status_code == 201
    refused = _endpoint(client, tenant_a, 2)
    assert refused.status_code == 402, refused.text
    problem = refused.json()
    assert problem["type"] == "urn:atrium:problem:plan-limit-reached"
    assert {key: problem[key] for key in ("limit", "usage", "allowed", "period", "plan")} == {
        "limit": "webhook_endpoints", "usage": 1, "allowed": 1, "period": None, "plan": "free"}


def test_seats_count_members_and_open_invitations(client: TestClient, tenant_a: Tenant) -> None:
    _subscribe(tenant_a, PlanId.FREE)  # 3 seats
    add_member(tenant_a.id, "member")
    invitation = invite(client, tenant_a.auth, "third@example.com")
    refused = client.post("/v1/invitations", json={"email": "fourth@example.com", "roles": [{"role": "member"}]},
                          headers=tenant_a.auth)
    assert refused.status_code == 402, refused.text
    assert (refused.json()["limit"], refused.json()["usage"], refused.json()["allowed"]) == ("seats", 3, 3)
    # The open invitation holds its seat: it can be accepted.
    with tenant_scope(tenant_a.id):
        issued = invitation_emails.issue_token(tenant_a.id, invitation["id"])
    assert issued is not None
    accepted = client.post("/v1/invitations/accept", json={"token": issued[0], "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    assert _limits(client, tenant_a)["seats"]["usage"] == 3


def test_a_deactivated_member_comes_back_only_with_a_free_seat(client: TestClient, tenant_a: Tenant) -> None:
    _subscribe(tenant_a, PlanId.FREE)
    member = add_member(tenant_a.id, "member")
    path = f"/v1/users/{member.user_id}"

    def set_status(status: str) -> Any:
        etag = client.get(path, headers=tenant_a.auth).headers["etag"]
        return client.patch(path, json={"status": status}, headers=tenant_a.auth | {"If-Match": etag})

    assert set_status("deactivated").status_code == 200
    add_member(tenant_a.id, "member")
    add_member(tenant_a.id, "member")  # 3 active: the plan's seats
    refused = set_status("active")
    assert refused.status_code == 402 and refused.json()["limit"] == "seats", refused.text


def test_a_downgrade_keeps_data_readable_and_changeable_but_refuses_more(client: TestClient, tenant_a: Tenant,
                                                                        worker: Worker) -> None:
    _subscribe(tenant_a, PlanId.PROFESSIONAL)
    endpoints = [_endpoint(client, tenant_a, number).json()["id"] for number in range(3)]
    export = _export(client, tenant_a)
    assert export.status_code == 202, export.text
    worker.drain()
    _subscribe(tenant_a, PlanId.PROFESSIONAL, "canceled")  # the free plan applies now

    listed = client.get(ENDPOINTS, headers=tenant_a.auth).json()["data"]
    assert sorted(endpoint["id"] for endpoint in listed) == sorted(endpoints)
    path = f"{ENDPOINTS}/{endpoints[0]}"
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    changed = client.patch(path, json={"description": "Still mine"}, headers=tenant_a.auth | {"If-Match": etag})
    assert changed.status_code == 200, changed.text
    download = client.get(f"{EXPORTS}/{export.json()['id']}/download", headers=tenant_a.auth, follow_redirects=False)
    assert download.status_code == 303, download.text

    assert _endpoint(client, tenant_a, 9).status_code == 402
    assert _export(client, tenant_a).status_code == 402
    body = client.get(SUBSCRIPTION, headers=tenant_a.auth).json()
    assert (body["plan"], body["status"]) == ("free", "canceled")
    assert _limits(client, tenant_a)["webhook_endpoints"] == {
        "name": "webhook_endpoints", "allowed": 1, "usage": 3, "period": None}


def test_an_operator_sets_and_removes_a_tenant_custom_plan(client: TestClient, tenant_a: Tenant,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "billing_default_plan", "free")
    admin, path = _operator(client), f"/v1/operator/tenants/{tenant_a.id}/plan"
    custom = {"name": "Acme deal", "based_on": "free", "features": ["audit_export"],
              "limits": {"webhook_endpoints": 2, "seats": None}}
    response = client.put(path, json=custom, headers=admin)
    assert response.status_code == 200, response.text
    assert {key: response.json()[key] for key in ("id", "name", "features", "prices")} == {
        "id": "custom", "name": "Acme deal", "features": ["audit_export"], "prices": []}
    assert response.json()["limits"]["proofs_per_month"] == 50  # the base plan's, where not replaced

    body = client.get(SUBSCRIPTION, headers=tenant_a.auth).json()
    assert (body["plan"], body["plan_name"]) == ("custom", "Acme deal")
    assert _export(client, tenant_a).status_code == 202
    assert [_endpoint(client, tenant_a, n).status_code for n in range(3)] == [201, 201, 402]
    # Stripe's later word does not override the operator's deal.
    _subscribe(tenant_a, PlanId.PROFESSIONAL, "canceled")
    assert client.get(SUBSCRIPTION, headers=tenant_a.auth).json()["plan"] == "custom"
    audited = client.get("/v1/audit-events", params={"action": "billing.custom_plan_changed"}, headers=tenant_a.auth)
    assert [entry["actor"]["type"] for entry in audited.json()["data"]] == ["operator"]

    assert client.put(path, json=custom, headers=_operator(client, OPERATOR_SUPPORT)).status_code == 403
    removed = client.delete(path, headers=admin)
    assert removed.status_code == 200 and removed.json()["id"] == "free", removed.text
    assert client.delete(path, headers=admin).status_code == 404
    unknown = client.put(f"/v1/operator/tenants/ten_{'1' * 26}/plan", json=custom, headers=admin)
    assert unknown.status_code == 404, unknown.text
