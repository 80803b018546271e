"""Audit test helpers: make entries through the API, and tamper with the table as an intruder would."""

from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from tests.api.conftest import Tenant


def rename(client: TestClient, tenant: Tenant, times: int) -> None:
    """``times`` audited changes (tenant.updated)."""
    for number in range(times):
        etag = client.get("/v1/tenant", headers=tenant.auth).headers["etag"]
        response = client.patch("/v1/tenant", json={"name": f"Renamed {number}"},
                                headers=tenant.auth | {"If-Match": etag})
        assert response.status_code == 200, response.text


def table() -> Any:
    return boto3.client("dynamodb", region_name=settings().region)


def chained_entries(tenant_id: str) -> dict[int, dict[str, Any]]:
    """The tenant's chained entries by sequence number, as stored (a scan: tests only)."""
    pages = table().get_paginator("scan").paginate(TableName=settings().table_name)
    return {int(item["seq"]["N"]): item for page in pages for item in page["Items"]
            if item["pk"]["S"].startswith(f"T#{tenant_id}#Audit#") and "seq" in item}


def head_key(tenant_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"T#{tenant_id}#AuditHead#head"}, "sk": {"S": "#"}}


def key_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"pk": item["pk"], "sk": item["sk"]}


def verify(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get("/v1/audit/verify", headers=tenant.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
