"""The platform's usage per tenant, for operators (``GET /v1/operator/usage``): a meter's month, one Query per page
of the platform's usage partition, in tenant id order; tenant principals are refused."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from atrium.identity.operator.roles import OPERATOR_SUPPORT
from atrium.kernel import ids
from tests.api.conftest import Tenant
from tests.api.test_operator import _operator
from tests.support.metering import count

USAGE = "/v1/operator/usage"
APRIL, MAY = datetime(2026, 4, 30, 23, tzinfo=UTC), datetime(2026, 5, 1, 1, tzinfo=UTC)


def test_operators_page_through_each_tenants_usage_of_a_month(client: TestClient) -> None:
    tenants = sorted(ids.new_id("ten") for _ in range(3))
    for proofs, tenant_id in enumerate(tenants, start=1):
        count(tenant_id, APRIL, proofs)
    count(tenants[0], MAY, 5)  # another month
    support = _operator(client, OPERATOR_SUPPORT)
    query = {"meter": "proofs", "period": "2026-04", "limit": 2}

    first = client.get(USAGE, params=query, headers=support)
    assert first.status_code == 200, first.text
    cursor = first.json()["next_cursor"]
    second = client.get(USAGE, params=query | {"cursor": cursor}, headers=support).json()
    assert first.json()["data"] + second["data"] == [{"tenant_id": tenant_id, "quantity": proofs}
                                                     for proofs, tenant_id in enumerate(tenants, start=1)]
    assert second["next_cursor"] is None
    may = client.get(USAGE, params={"meter": "proofs", "period": "2026-05"}, headers=support).json()
    assert may == {"data": [{"tenant_id": tenants[0], "quantity": 5}], "next_cursor": None}
    assert client.get(USAGE, params={"meter": "storage_bytes", "period": "2026-04"}, headers=support).json() == {
        "data": [], "next_cursor": None}
    # A cursor replays only its own meter and month.
    assert client.get(USAGE, params=query | {"period": "2026-05", "cursor": cursor}, headers=support).status_code == 400


def test_tenant_principals_are_refused_and_a_bad_month_is_a_422(client: TestClient, tenant_a: Tenant) -> None:
    refused = client.get(USAGE, params={"meter": "proofs", "period": "2026-04"}, headers=tenant_a.auth)
    assert refused.status_code == 403 and refused.json()["detail"] == "this route is for platform operators"
    admin = _operator(client)
    for params, field in (({"meter": "proofs", "period": "2026-13"}, "query.period"),
                          ({"meter": "seats", "period": "2026-04"}, "query.meter")):
        response = client.get(USAGE, params=params, headers=admin)
        assert response.status_code == 422, response.text
        assert field in [error["field"] for error in response.json()["errors"]]
