"""Integration tests run against in-process moto with every declared resource provisioned."""

from typing import Any

import boto3
import pytest

from atrium.kernel.config import settings


@pytest.fixture
def table_items(aws: Any) -> Any:
    """Every item in the table (a scan: fine in tests, never in the product)."""

    def scan() -> list[dict[str, Any]]:
        client = boto3.client("dynamodb", region_name=settings().region)
        return list(client.scan(TableName=settings().table_name)["Items"])

    return scan
