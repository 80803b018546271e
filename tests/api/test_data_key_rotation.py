"""An operator rotates a tenant's data key, or every tenant's (docs/encryption.md): the new version encrypts from
then on, a task encrypts the tenant's items again under it (page by page, keeping their versions), older versions
read meanwhile, and the rotation is in the tenant's log naming the operator. Another tenant's items are untouched;
a support operator and tenant principals are refused."""

from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import a_customer
from atrium.compliance.keys import reencryption
from atrium.identity.operator.roles import OPERATOR_SUPPORT
from atrium.kernel.config import settings
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.api.test_operator import _operator

ROTATE = "/v1/operator/tenants/{}/data-key/rotate"


def _customer_items(tenant_id: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", region_name=settings().region)
    found: list[dict[str, Any]] = client.scan(
        TableName=settings().table_name, FilterExpression="entity = :e AND begins_with(pk, :t)",
        ExpressionAttributeValues={":e": {"S": "Customer"}, ":t": {"S": f"T#{tenant_id}#"}})["Items"]
    return found


def _key_versions(tenant_id: str) -> list[str]:
    return sorted(item["name"]["S"].split(":")[1] for item in _customer_items(tenant_id))


def test_a_rotation_encrypts_new_writes_and_a_task_encrypts_the_rest_again(
        client: TestClient, tenant_a: Tenant, tenant_b: Tenant, worker: Worker,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reencryption, "PAGE_SIZE", 2)  # three pages of five
    customers = [a_customer(client, tenant_a) for _ in range(5)]
    a_customer(client, tenant_b)
    versions = {item["pk"]["S"]: item["version"]["N"] for item in _customer_items(tenant_a.id)}
    admin = _operator(client)

    response = client.post(ROTATE.format(tenant_a.id), headers=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"tenant_id": tenant_a.id, "key_version": 2}
    assert _key_versions(tenant_a.id) == ["1"] * 5  # not yet encrypted again: version 1 still reads
    assert client.get(f"/v1/fieldwork/customers/{customers[0]}", headers=tenant_a.auth).json()["name"]
    newer = a_customer(client, tenant_a)

    worker.drain()
    assert _key_versions(tenant_a.id) == ["2"] * 6
    assert _key_versions(tenant_b.id) == ["1"]  # another tenant's key is its own
    # The content did not change, so neither did the versions (the ETags).
    assert {item["pk"]["S"]: item["version"]["N"] for item in _customer_items(tenant_a.id)
            if newer not in item["pk"]["S"]} == versions
    names = {client.get(f"/v1/fieldwork/customers/{customer}", headers=tenant_a.auth).json()["name"]
             for customer in customers}
    assert names == {"Harbour Bakery"}

    log = client.get("/v1/audit-events", params={"action": "compliance.data_key_rotated"}, headers=tenant_a.auth)
    (entry,) = log.json()["data"]
    assert entry["actor"]["type"] == "operator"


def test_a_second_rotation_adds_a_version_and_an_unknown_tenant_is_a_404(client: TestClient,
                                                                         tenant_a: Tenant) -> None:
    admin = _operator(client)
    a_customer(client, tenant_a)
    assert [client.post(ROTATE.format(tenant_a.id), headers=admin).json()["key_version"] for _ in range(2)] == [2, 3]
    assert client.post(ROTATE.format("ten_01J0000000000000000000000"), headers=admin).status_code == 404


def test_rotating_every_tenants_key_rotates_each_in_its_own_log_and_encrypts_its_items_again(
        client: TestClient, tenant_a: Tenant, tenant_b: Tenant, worker: Worker) -> None:
    for tenant in (tenant_a, tenant_b):
        a_customer(client, tenant)
    response = client.post("/v1/operator/data-keys/rotate", headers=_operator(client))
    assert (response.status_code, response.json()) == (202, {"status": "queued"})
    worker.drain()
    assert (_key_versions(tenant_a.id), _key_versions(tenant_b.id)) == (["2"], ["2"])
    for tenant in (tenant_a, tenant_b):
        log = client.get("/v1/audit-events", params={"action": "compliance.data_key_rotated"}, headers=tenant.auth)
        assert [entry["actor"]["type"] for entry in log.json()["data"]] == ["operator"]


def test_support_operators_and_tenant_principals_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    assert client.post(ROTATE.format(tenant_a.id), headers=_operator(client, OPERATOR_SUPPORT)).status_code == 403
    assert client.post(ROTATE.format(tenant_a.id), headers=tenant_a.auth).status_code in (401, 403)
    support = _operator(client, OPERATOR_SUPPORT)
    assert client.post("/v1/operator/data-keys/rotate", headers=support).status_code == 403
