"""Metering through the API: proofs created and bytes stored are counted from their events (the worker runs the
metering consumer), the usage series, the metered limits in the subscription view, the 402 past the plan's
proofs of the month, and uploads refused past the plan's bytes until a deleted proof frees them. Exactly once
under faults: tests/faults/test_metering.py."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.kernel import clock
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.api.test_operator import _operator
from tests.support.proofs import PNG, request_upload, upload_version

USAGE = "/v1/usage"
NOW = datetime(2026, 5, 31, 23, 55, tzinfo=UTC)


def _proof(client: TestClient, tenant: Tenant) -> Any:
    return client.post("/v1/proofs", json={"title": "Poster"}, headers=tenant.auth)


def _usage(client: TestClient, tenant: Tenant, **params: str) -> Any:
    return client.get(USAGE, params={"meter": "proofs", "from": "2026-05-30T00:00:00Z",
                                     "to": "2026-06-02T00:00:00Z"} | params, headers=tenant.auth)


@pytest.fixture
def frozen() -> Any:
    """The clock just before a month ends (asked for before the tenant, whose tokens it times)."""
    with clock.frozen(NOW) as advance:
        yield advance


def test_proofs_and_bytes_are_counted_into_the_series_and_the_plan_limits(
        frozen: Any, client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    proof = _proof(client, tenant_a).json()
    upload_version(client, tenant_a, proof["id"])
    frozen(600)  # the next day, and month (UTC)
    _proof(client, tenant_a)
    _proof(client, tenant_a)
    worker.drain()

    days = _usage(client, tenant_a)
    assert days.status_code == 200, days.text
    assert days.json() == {"meter": "proofs", "granularity": "day", "start": "2026-05-30T00:00:00.000Z",
                           "end": "2026-06-02T00:00:00.000Z", "total": 3, "data": [
                               {"start": "2026-05-30T00:00:00.000Z", "quantity": 0},
                               {"start": "2026-05-31T00:00:00.000Z", "quantity": 1},
                               {"start": "2026-06-01T00:00:00.000Z", "quantity": 2}]}
    hours = _usage(client, tenant_a, meter="storage_bytes", granularity="hour", **{
        "from": "2026-05-31T22:10:00+00:00", "to": "2026-06-01T00:00:01Z"})
    assert [(point["start"], point["quantity"]) for point in hours.json()["data"]] == [
        ("2026-05-31T22:00:00.000Z", 0), ("2026-05-31T23:00:00.000Z", len(PNG)), ("2026-06-01T00:00:00.000Z", 0)]

    limits = {limit["name"]: limit for limit in client.get("/v1/billing/subscription", headers=tenant_a.auth)
              .json()["limits"]}
    assert (limits["proofs_per_month"]["usage"], limits["storage_bytes"]["usage"]) == (2, len(PNG))


def test_api_requests_the_rate_limiter_counted_are_the_tenants_usage(
        frozen: Any, client: TestClient, tenant_a: Tenant, tenant_b: Tenant, worker: Worker) -> None:
    """Each request a tenant's callers make is counted once into its own api_requests meter, from the rate
    limiter's windows (no write of its own), across windows."""
    hour = {"meter": "api_requests", "granularity": "hour", "from": "2026-05-31T23:00:00Z",
            "to": "2026-06-01T00:00:00Z"}
    worker.drain()
    before = {tenant.id: _usage(client, tenant, **hour).json()["total"] for tenant in (tenant_a, tenant_b)}
    for _ in range(4):
        client.get("/v1/me", headers=tenant_a.auth)
    frozen(60)  # the next window
    client.get("/v1/me", headers=tenant_a.auth)
    worker.drain()

    after = {tenant.id: _usage(client, tenant, **hour).json()["total"] for tenant in (tenant_a, tenant_b)}
    # Tenant A's 5, and each tenant's first read of its usage.
    assert (after[tenant_a.id] - before[tenant_a.id], after[tenant_b.id] - before[tenant_b.id]) == (6, 1)


@pytest.mark.parametrize(("params", "field"), [
    ({"meter": "ai_spend"}, "query.meter"),
    ({"granularity": "minute"}, "query.granularity"),
    ({"to": "2026-05-30T00:00:00Z"}, "query.to"),  # not after from
    ({"from": "1999-12-31T00:00:00Z"}, "query.from"),
    ({"granularity": "hour", "to": "2026-07-01T00:00:00Z"}, "query.to"),  # more than 31 days of hours
    ({"to": "2027-06-01T00:00:00Z"}, "query.to"),  # more than 366 days
])
def test_a_bad_meter_or_range_is_a_422_naming_the_field(client: TestClient, tenant_a: Tenant,
                                                        params: dict[str, str], field: str) -> None:
    response = _usage(client, tenant_a, **params)
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]


def test_proofs_past_the_plans_month_are_a_402_until_the_next_month(
        frozen: Any, client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    deal = {"name": "Two a month", "based_on": "free", "limits": {"proofs_per_month": 2}}
    assert client.put(f"/v1/operator/tenants/{tenant_a.id}/plan", json=deal,
                      headers=_operator(client)).status_code == 200
    made = [_proof(client, tenant_a) for _ in range(2)]
    worker.drain()

    refused = _proof(client, tenant_a)
    assert refused.status_code == 402, refused.text
    assert {key: refused.json()[key] for key in ("type", "limit", "usage", "allowed", "period")} == {
        "type": "urn:atrium:problem:plan-limit-reached", "limit": "proofs_per_month", "usage": 2, "allowed": 2,
        "period": "month"}
    assert all(client.get(f"/v1/proofs/{proof.json()['id']}", headers=tenant_a.auth).status_code == 200
               for proof in made)
    frozen(600)  # June
    assert _proof(client, tenant_a).status_code == 201


def test_an_upload_past_the_plans_bytes_is_a_402_until_a_deleted_proof_frees_them(
        client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    deal = {"name": "Two files", "based_on": "free", "limits": {"storage_bytes": 2 * len(PNG)}}
    assert client.put(f"/v1/operator/tenants/{tenant_a.id}/plan", json=deal,
                      headers=_operator(client)).status_code == 200
    full, other = _proof(client, tenant_a).json(), _proof(client, tenant_a).json()
    upload_version(client, tenant_a, full["id"])
    upload_version(client, tenant_a, full["id"])
    worker.drain()

    refused = client.post(f"/v1/proofs/{other['id']}/uploads", headers=tenant_a.auth,
                          json={"filename": "more.png", "content_type": "image/png", "size": 1})
    assert refused.status_code == 402, refused.text
    assert {key: refused.json()[key] for key in ("type", "limit", "usage", "allowed", "requested")} == {
        "type": "urn:atrium:problem:plan-limit-reached", "limit": "storage_bytes", "usage": 2 * len(PNG),
        "allowed": 2 * len(PNG), "requested": 1}

    assert client.delete(f"/v1/proofs/{full['id']}", headers=tenant_a.auth).status_code == 204
    worker.drain()
    assert request_upload(client, tenant_a, other["id"], size=2 * len(PNG))["upload_id"]
    assert client.get("/v1/usage", params={"meter": "storage_bytes", "from": clock.iso(clock.now()),
                                           "to": clock.iso(clock.now() + timedelta(hours=1))},
                      headers=tenant_a.auth).json()["total"] == 0
