"""Rate limits for every caller: per tenant (its plan's number, held to the stage's ceiling) and per principal (user,
API token, operator), per source address on public routes, with the IETF RateLimit fields on every answer and 429 +
Retry-After past a limit."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from atrium.billing.api import PlanId
from atrium.identity.access_state import forget_cached_access
from atrium.identity.operator.accounts import create_operator
from atrium.identity.operator.roles import OPERATOR_ADMIN
from atrium.kernel import clock
from atrium.kernel.config import settings
from tests.api.conftest import PASSWORD, Tenant
from tests.api.test_billing_plans import _subscribe
from tests.api.test_operator import _operator
from tests.support.aws_hook import recording_aws_calls
from tests.support.people import add_member
from tests.support.step_up import stepped_up


@pytest.fixture
def one_window() -> Iterator[None]:
    now = clock.epoch()
    with clock.frozen(datetime.fromtimestamp(now - now % 60 + 60, UTC)):  # the next window's start: one window
        yield


@pytest.fixture
def quotas(monkeypatch: pytest.MonkeyPatch, one_window: None) -> None:
    for name, quota in (("tenant", 8), ("principal", 4), ("source", 3)):
        monkeypatch.setattr(settings(), f"rate_limit_{name}_per_minute", quota)


def _fields(response: object) -> tuple[dict[str, int], dict[str, int]]:
    """The quota and the remaining count of each policy the answer names."""
    headers = response.headers  # type: ignore[attr-defined]
    quotas = {m[0]: int(m[1]) for m in re.findall(r'"(\w+)";q=(\d+);w=60', headers["ratelimit-policy"])}
    remaining = {m[0]: int(m[1]) for m in re.findall(r'"(\w+)";r=(\d+);t=\d+', headers["ratelimit"])}
    return quotas, remaining


def test_every_route_class_answers_with_its_rate_limit_fields(client: TestClient, tenant_a: Tenant) -> None:
    public = client.get("/v1/health")
    user = client.get("/v1/tenant", headers=tenant_a.auth)
    token = client.post("/v1/api-tokens", json={"name": "ci", "scopes": ["tenant:read"]},
                        headers=stepped_up(client, tenant_a.auth))
    by_token = client.get("/v1/tenant", headers={"Authorization": f"Bearer {token.json()['secret']}"})
    create_operator("ops@example.com", OPERATOR_ADMIN, PASSWORD)
    operator = client.post("/v1/operator/auth/login", json={"email": "ops@example.com", "password": PASSWORD})
    listed = client.get("/v1/operator/tenants", headers={"Authorization": f"Bearer {operator.json()['access_token']}"})
    invalid = client.patch("/v1/tenant", json={"name": ""}, headers=tenant_a.auth | {"If-Match": '"1"'})

    assert _fields(public)[0] == {"source": settings().rate_limit_source_per_minute}
    for answer in (user, by_token, invalid):
        assert set(_fields(answer)[0]) == {"tenant", "principal"}, answer.text
    assert invalid.status_code == 422  # an error answer carries them too
    assert set(_fields(listed)[0]) == {"principal"}


def test_a_principal_past_its_limit_gets_429_and_others_of_the_tenant_do_not(client: TestClient, tenant_a: Tenant,
                                                                          quotas: None) -> None:
    member = add_member(tenant_a.id, "viewer")
    answers = [client.get("/v1/tenant", headers=tenant_a.auth) for _ in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    refused = answers[-1]
    assert refused.headers["retry-after"] == "60"  # frozen at the window's start: the whole window remains
    assert _fields(refused)[1]["principal"] == 0
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/tenant", headers=member.auth).status_code == 200


def test_a_tenant_past_its_limit_does_not_slow_another(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                                       quotas: None) -> None:
    members = [add_member(tenant_a.id, "viewer") for _ in range(3)]
    answers = [client.get("/v1/tenant", headers=m.auth).status_code for m in members for _ in range(3)]

    assert answers.count(200) == settings().rate_limit_tenant_per_minute and answers[-1] == 429
    assert client.get("/v1/tenant", headers=tenant_b.auth).status_code == 200


def test_public_routes_are_limited_per_source_address(client: TestClient, local_api: FastAPI, tenant_a: Tenant,
                                                      quotas: None) -> None:
    login = {"email": tenant_a.email, "password": PASSWORD}
    answers = [client.post("/v1/auth/login", json=login).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    with TestClient(local_api, raise_server_exceptions=False, client=("203.0.113.7", 50000)) as elsewhere:
        assert elsewhere.post("/v1/auth/login", json=login).status_code == 200


def test_a_window_known_used_up_costs_no_write(client: TestClient, tenant_a: Tenant, quotas: None) -> None:
    for _ in range(5):
        client.get("/v1/tenant", headers=tenant_a.auth)
    with recording_aws_calls() as calls:
        assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 429
    assert [call.operation for call in calls if call.service == "dynamodb"] == []


def test_each_tenant_gets_its_429_at_its_plans_number(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                                      one_window: None) -> None:
    # tenant_b calls with an API token, whose creation makes 2 of its requests in this window.
    created = client.post("/v1/api-tokens", json={"name": "ci", "scopes": ["tenant:read"]},
                          headers=stepped_up(client, tenant_b.auth))
    token = {"Authorization": f"Bearer {created.json()['secret']}"}
    admin = _operator(client)
    for tenant, allowed in ((tenant_a, 3), (tenant_b, 5)):
        deal = {"name": "Deal", "based_on": "professional", "limits": {"api_requests_per_minute": allowed}}
        assert client.put(f"/v1/operator/tenants/{tenant.id}/plan", json=deal, headers=admin).status_code == 200
    forget_cached_access()  # as once the principals' cached access has expired
    answers_a = [client.get("/v1/tenant", headers=tenant_a.auth) for _ in range(4)]
    answers_b = [client.get("/v1/tenant", headers=token) for _ in range(4)]

    assert [a.status_code for a in answers_a] == [200, 200, 200, 429]
    assert [a.status_code for a in answers_b] == [200, 200, 200, 429]
    assert _fields(answers_a[-1]) == ({"tenant": 3, "principal": 600}, {"tenant": 0, "principal": 596})
    assert _fields(answers_b[-1])[0]["tenant"] == 5
    assert answers_a[-1].json()["detail"] == "the tenant rate limit of 3 requests a minute is used up"


def test_the_quota_is_the_plan_in_force_held_to_the_stage_ceiling(client: TestClient, tenant_a: Tenant,
                                                                 one_window: None,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def quota() -> int:
        forget_cached_access()
        return _fields(client.get("/v1/tenant", headers=tenant_a.auth))[0]["tenant"]

    assert quota() == 3000  # never subscribed: the default plan (the suite's is enterprise)
    _subscribe(tenant_a, PlanId.PROFESSIONAL, "past_due", grace_until=clock.now() + timedelta(days=7))
    assert quota() == 600  # past due within its grace: the plan holds
    _subscribe(tenant_a, PlanId.PROFESSIONAL, "past_due", grace_until=clock.now())
    assert quota() == 60  # past the grace end: the free plan's
    _subscribe(tenant_a, PlanId.PROFESSIONAL)  # paid again
    monkeypatch.setattr(settings(), "rate_limit_tenant_per_minute", 100)
    assert quota() == 100  # professional's 600, held to the stage's ceiling
