"""Tenant-owned data through the tenant's own credentials (``kernel/store/tenant_credentials.py``).

moto does not enforce IAM, so these tests check who signs each DynamoDB call: the session of the tenant in
scope for a call naming only tenant-owned keys (IAM's LeadingKeys condition then bounds it; the policy itself is
tested in tests/infra/test_tenant_isolation.py), the function's own credentials for anything else.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import boto3
import pytest
from botocore.auth import SigV4Auth
from fastapi.testclient import TestClient
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.sts.models import sts_backends

from atrium.identity.models import TenantItem
from atrium.kernel.config import settings
from atrium.kernel.store import tenant_credentials
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned
from tests.api.conftest import Tenant, signup

OWN_ACCESS_KEYS = {"testing", "FOOBARKEY"}  # tests/conftest.py's, and moto's for clients made inside mock_aws


@dataclass(frozen=True)
class Signed:
    operation: str
    params: dict[str, Any]
    access_key: str


@pytest.fixture
def role_arn(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The tenant data role, and model connections made afresh with it (and afresh again after)."""
    arn = boto3.client("iam").create_role(RoleName="TenantData", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    monkeypatch.setenv("ATRIUM_TENANT_DATA_ROLE_ARN", arn)
    settings.cache_clear()
    Item._connection = None  # every model shares Item's connection
    yield arn
    monkeypatch.delenv("ATRIUM_TENANT_DATA_ROLE_ARN")
    settings.cache_clear()
    Item._connection = None


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch) -> list[Signed]:
    """Every request signed from now on: its operation, its parameters and the access key that signed it."""
    calls: list[Signed] = []
    original = SigV4Auth.add_auth

    def record(self: SigV4Auth, request: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
        if target.startswith("DynamoDB_"):
            calls.append(Signed(target.split(".")[1], json.loads(body), str(self.credentials.access_key)))
        elif "Action=AssumeRole" in body:
            form = {name: values[0] for name, values in parse_qs(body).items()}
            calls.append(Signed("AssumeRole", form, str(self.credentials.access_key)))
        original(self, request)

    monkeypatch.setattr(SigV4Auth, "add_auth", record)
    return calls


def _session_keys() -> dict[str, str]:
    """Access key id -> the tenant its assumed-role session is for."""
    roles = sts_backends[DEFAULT_ACCOUNT_ID]["global"].assumed_roles
    return {role.access_key_id: role.session_name.removeprefix("atrium-") for role in roles}


def _keys(call: Signed) -> list[str | None]:
    return tenant_credentials.leading_keys(call.operation, call.params)


def test_tenant_owned_calls_are_signed_by_the_tenants_session(role_arn: str, client: TestClient,
                                                              signed: list[Signed]) -> None:
    tenant_a, tenant_b = signup(client, "Tenant A"), signup(client, "Tenant B")
    signed.clear()
    for tenant in (tenant_a, tenant_b, tenant_a):
        assert client.get("/v1/tenant", headers=tenant.auth).status_code == 200
    sessions = _session_keys()
    data_calls = [call for call in signed if call.operation != "AssumeRole"]
    for tenant in (tenant_a, tenant_b):
        own = [call for call in data_calls if all(key and key.startswith(f"T#{tenant.id}#") for key in _keys(call))]
        assert own and all(sessions.get(call.access_key) == tenant.id for call in own)
    # Calls naming a global item (the authorizer's reads of live access, say) keep the function's own role.
    shared = [call for call in data_calls if not all(key and key.startswith("T#") for key in _keys(call))]
    assert shared and all(call.access_key not in sessions for call in shared)
    # One session per tenant, asked for with the function's own credentials and tagged with the tenant alone.
    assume = [call for call in signed if call.operation == "AssumeRole"]
    assert sorted(call.params["Tags.member.1.Value"] for call in assume) == sorted([tenant_a.id, tenant_b.id])
    assert all(call.params["RoleArn"] == role_arn and call.params["Tags.member.1.Key"] == "tenant_id"
               and "Tags.member.2.Key" not in call.params and call.access_key not in sessions for call in assume)


def test_another_tenants_key_is_signed_by_the_scopes_tenant_so_iam_refuses_it(
        role_arn: str, client: TestClient, tenant_a: Tenant, tenant_b: Tenant, signed: list[Signed]) -> None:
    """The tenant comes from the scope (the verified principal), never from the keys: a bug that computes tenant
    B's key while serving tenant A signs it as A, which the LeadingKeys condition refuses in AWS."""
    signed.clear()
    with tenant_scope(tenant_a.id):
        TenantItem.get(f"T#{tenant_b.id}#Tenant#{tenant_b.id}", "#")
    (call,) = [call for call in signed if call.operation == "GetItem"]
    assert _session_keys()[call.access_key] == tenant_a.id


def test_without_the_role_every_call_uses_the_functions_own_credentials(client: TestClient, tenant_a: Tenant,
                                                                         signed: list[Signed]) -> None:
    signed.clear()
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
    assert signed and not _session_keys() and all(call.access_key in OWN_ACCESS_KEYS for call in signed)


@pytest.mark.parametrize(("operation", "params", "expected"), [
    ("GetItem", {"Key": {"pk": {"S": "T#a#X#1"}, "sk": {"S": "#"}}}, ["T#a#X#1"]),
    ("PutItem", {"Item": {"pk": {"S": "G#Email#x"}, "gsi1pk": {"S": "T#a#Y"}}}, ["G#Email#x"]),
    ("UpdateItem", {"Key": {"pk": {"S": "T#a#X#1"}}}, ["T#a#X#1"]),
    ("DeleteItem", {"Key": {"pk": {"S": "T#a#X#1"}}}, ["T#a#X#1"]),
    ("Query", {"KeyConditionExpression": "#0 = :0 AND begins_with(#1, :1)",
               "ExpressionAttributeNames": {"#0": "gsi2pk", "#1": "gsi2sk"},
               "ExpressionAttributeValues": {":0": {"S": "T#a#ProofsBy#tag:x"}, ":1": {"S": "2026"}}},
     ["T#a#ProofsBy#tag:x"]),
    ("BatchGetItem", {"RequestItems": {"t": {"Keys": [{"pk": {"S": "T#a#X#1"}}, {"pk": {"S": "G#Y#2"}}]}}},
     ["T#a#X#1", "G#Y#2"]),
    ("BatchWriteItem", {"RequestItems": {"t": [{"PutRequest": {"Item": {"pk": {"S": "T#a#X#1"}}}},
                                               {"DeleteRequest": {"Key": {"pk": {"S": "T#a#X#2"}}}}]}},
     ["T#a#X#1", "T#a#X#2"]),
    ("TransactWriteItems", {"TransactItems": [{"Put": {"Item": {"pk": {"S": "T#a#X#1"}}}},
                                              {"ConditionCheck": {"Key": {"pk": {"S": "G#Z#3"}}}}]},
     ["T#a#X#1", "G#Z#3"]),
    ("Scan", {}, []),
])
def test_leading_keys_are_the_partition_keys_a_call_names(operation: str, params: dict[str, Any],
                                                          expected: list[str]) -> None:
    assert tenant_credentials.leading_keys(operation, params) == expected
