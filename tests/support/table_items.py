"""The table's items as a test sees them (a scan: tests only)."""

from typing import Any

import boto3

from atrium.kernel.config import settings


def items_but_rate_windows() -> list[dict[str, Any]]:
    """Every item but the rate limiter's windows: every request is counted, refused ones too, so a test that a
    request wrote nothing (or exactly these items) leaves the count aside."""
    found = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    return [item for item in found if not item.get("entity", {}).get("S", "").endswith("RateWindow")]
