"""Every operation stays within its DynamoDB call budget (bench/aws_call_budgets.json)."""

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from atrium import manifest
from atrium_local.devserver import local_app
from atrium_local.provision import Provisioned
from tests.support.operation_calls import Fixture, measure

BUDGETS = json.loads((Path(__file__).resolve().parents[2] / "bench" / "aws_call_budgets.json").read_text())
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}


def _key(row: dict[str, Any]) -> str:
    suffix = " + Idempotency-Key" if row["request"].endswith("+ Idempotency-Key") else ""
    return f"{row['operation_id']}{suffix}"


def _dynamodb_calls(row: dict[str, Any]) -> list[str]:
    return [operation for service, operation in row["calls"] if service == "dynamodb"]


def test_every_operation_is_within_its_budget(aws: Provisioned) -> None:
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        rows = measure(Fixture(client))
    methods = {spec.operation_id: spec.method for spec in manifest.routes()}
    assert {row["operation_id"] for row in rows} == set(methods), "an operation was not measured"
    over = []
    for row in rows:
        assert 200 <= row["status"] < 400, row  # a failed request proves nothing about its budget
        calls, exception = _dynamodb_calls(row), BUDGETS["exceptions"].get(_key(row))
        if exception:
            within = len(calls) <= exception["dynamodb"]
        elif methods[row["operation_id"]] in WRITE_METHODS:
            within = calls == ["TransactWriteItems"]
        else:
            within = len(calls) <= 1
        if not within:
            over.append(f"{_key(row)}: {calls}")
    assert not over, f"over budget (fix it, or record the reason in bench/aws_call_budgets.json): {over}"


def test_every_exception_is_explained_and_still_exists() -> None:
    operation_ids = {spec.operation_id for spec in manifest.routes()}
    for key, budget in BUDGETS["exceptions"].items():
        assert key.split(" + ")[0] in operation_ids, f"stale budget for {key}"
        assert len(budget["why"]) > 20, f"budget for {key} needs a reason"
