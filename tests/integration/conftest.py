"""Integration tests run against in-process moto with every declared resource provisioned."""

from typing import Any

import boto3
import pytest
from botocore.client import BaseClient

from atrium.kernel.config import settings


@pytest.fixture
def table_items(aws: Any) -> Any:
    """Every item in the table (a scan: fine in tests, never in the product)."""

    def scan() -> list[dict[str, Any]]:
        client = boto3.client("dynamodb", region_name=settings().region)
        return list(client.scan(TableName=settings().table_name)["Items"])

    return scan


@pytest.fixture
def aws_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the AWS API calls made while the test runs (``service.Operation``)."""
    calls: list[str] = []
    original = getattr(BaseClient, "_make_api_call")  # noqa: B009 (not in the stubs)

    def record(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        calls.append(f"{self.meta.service_model.service_name}.{operation_name}")
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return calls
