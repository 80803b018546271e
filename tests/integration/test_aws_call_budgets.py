"""Every operation stays within its DynamoDB call budget: a read makes at most 1 call, a write exactly 1
TransactWriteItems and no other, unless its context records a budget and the reason (``AWS_CALL_BUDGETS`` in its
``testing.py``, see ``atrium.kernel.testing.CallBudget``). Besides, the rate limiter counts every request with
exactly one UpdateItem, and every call naming a tenant's items is signed by that tenant's session."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel.config import settings
from atrium.kernel.http.routing import Realm
from atrium_local.devserver import local_app
from atrium_local.provision import Provisioned
from tests.support.operation_calls import Fixture, measure

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}


def _key(row: dict[str, Any]) -> str:
    suffix = " + Idempotency-Key" if row["request"].endswith("+ Idempotency-Key") else ""
    return f"{row['operation_id']}{suffix}"


def _dynamodb_calls(row: dict[str, Any]) -> list[str]:
    return [operation for service, operation in row["calls"] if service == "dynamodb"]


def test_every_operation_is_within_its_budget(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> None:
    # One principal sends every operation and its set-up within a minute, more than its quota: the limits would
    # refuse the later ones (as the bench, which lifts them too). The limiter still counts each request (checked below).
    for quota in ("rate_limit_tenant_per_minute", "rate_limit_principal_per_minute"):
        monkeypatch.setattr(settings(), quota, 10**9)
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        rows = measure(Fixture(client))
    methods = {spec.operation_id: spec.method for spec in manifest.routes()}
    tenants = {spec.operation_id for spec in manifest.routes() if not spec.is_public and spec.realm == Realm.TENANT}
    assert {row["operation_id"] for row in rows} == set(methods), "an operation was not measured"
    budgets, over = manifest.call_budgets(), []
    for row in rows:
        assert 200 <= row["status"] < 400, row  # a failed request proves nothing about its budget
        assert [call["operation"] for call in row["rate_limit"]] == ["UpdateItem"], row["request"]
        signers = row["signers"]
        assert signers["refused"] == 0 and signers["tenant_data"] <= signers["tenant_session"], (row["request"],
                                                                                                signers)
        if row["operation_id"] in tenants:  # a tenant principal's request runs in its tenant's scope throughout
            assert signers["tenant_session"] == signers["calls"] > 0, (row["request"], signers)
        calls, budget = _dynamodb_calls(row), budgets.get(_key(row))
        if budget:
            within = len(calls) <= budget.dynamodb
        elif methods[row["operation_id"]] in WRITE_METHODS:
            within = calls == ["TransactWriteItems"]
        else:
            within = len(calls) <= 1
        if not within:
            over.append(f"{_key(row)}: {calls}")
    assert not over, f"over budget (fix it, or record the reason in its context's AWS_CALL_BUDGETS): {over}"


def test_every_budget_is_explained_and_its_operation_still_exists() -> None:
    operation_ids = {spec.operation_id for spec in manifest.routes()}
    for key, budget in manifest.call_budgets().items():
        assert key.split(" + ")[0] in operation_ids, f"stale budget for {key}"
        assert len(budget.why) > 20, f"budget for {key} needs a reason"
