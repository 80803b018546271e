"""Tenant data through the tenant's own credentials (``kernel/store/tenant_credentials.py``).

moto does not enforce IAM, so these tests check who signs each DynamoDB call: the session of the tenant in scope
for every call made in a tenant scope (IAM's LeadingKeys condition then bounds it to that tenant's keys and the
global ones; the policy itself is tested in tests/infra/test_tenant_isolation.py), the function's own credentials
for a call outside any. Every test of the suite also checks each call against the policies
(``tests/support/iam_leading_keys.py``); these check that checker too.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import pytest
from botocore.auth import SigV4Auth
from botocore.signers import RequestSigner
from fastapi.testclient import TestClient
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.sts.models import sts_backends

from atrium.identity.models import TenantItem
from atrium.kernel.config import settings
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned
from tests.api.conftest import Tenant, signup
from tests.support.iam_leading_keys import SignedCall, leading_keys, recording_signed_calls
from tests.support.people import PASSWORD
from tests.support.unsigned_requests import SIGN

OWN_ACCESS_KEYS = {"testing", "FOOBARKEY"}  # tests/conftest.py's, and moto's for clients made inside mock_aws


@dataclass(frozen=True)
class Signed:
    operation: str
    params: dict[str, Any]
    access_key: str


@pytest.fixture
def role_arn(aws: Provisioned) -> Iterator[str]:
    """The tenant data role the suite runs with (tests/conftest.py), and model connections made afresh with it (and
    afresh again after), so its sessions are assumed in this test's world."""
    Item._connection = None  # every model shares Item's connection
    yield settings().tenant_data_role_arn
    Item._connection = None


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch) -> list[Signed]:
    """Every request signed from now on: its operation, its parameters and the access key that signed it (DynamoDB's
    too, which the suite otherwise sends unsigned: tests/support/unsigned_requests.py)."""
    monkeypatch.setattr(RequestSigner, "sign", SIGN)
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
    return leading_keys(call.operation, call.params)


def test_calls_in_a_tenant_scope_are_signed_by_the_tenants_session(role_arn: str, client: TestClient,
                                                                    signed: list[Signed]) -> None:
    tenant_a, tenant_b = signup(client, "Tenant A"), signup(client, "Tenant B")
    sessions = _session_keys()
    # Signing up writes the tenant's items and global ones (the email's claim) in one transaction, in the new
    # tenant's scope: its session signs it.
    (transaction,) = [call for call in signed if call.operation == "TransactWriteItems"
                      and any(key and key.startswith(f"T#{tenant_a.id}#") for key in _keys(call))]
    assert any(key and key.startswith("G#") for key in _keys(transaction))
    assert sessions[transaction.access_key] == tenant_a.id
    # One session per tenant, asked for with the function's own credentials and tagged with the tenant alone.
    assume = [call for call in signed if call.operation == "AssumeRole"]
    assert sorted(call.params["Tags.member.1.Value"] for call in assume) == sorted([tenant_a.id, tenant_b.id])
    assert all(call.params["RoleArn"] == role_arn and call.params["Tags.member.1.Key"] == "tenant_id"
               and "Tags.member.2.Key" not in call.params and call.access_key not in sessions for call in assume)
    signed.clear()
    for tenant in (tenant_a, tenant_b, tenant_a):
        assert client.get("/v1/tenant", headers=tenant.auth).status_code == 200
    assert signed and all(call.operation != "AssumeRole" for call in signed)  # the sessions are kept
    for tenant in (tenant_a, tenant_b):
        own = [call for call in signed if any(key and key.startswith(f"T#{tenant.id}#") for key in _keys(call))]
        assert own and all(sessions.get(call.access_key) == tenant.id for call in own)


def test_calls_outside_a_tenant_scope_are_signed_by_the_functions_own_role(role_arn: str, client: TestClient,
                                                                           tenant_a: Tenant,
                                                                           signed: list[Signed]) -> None:
    """Signing in looks the email up before any tenant is known: the function's own role reads that global item."""
    signed.clear()
    response = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    sessions = _session_keys()
    lookups = [call for call in signed if any(key and key.startswith("G#UserEmail#") for key in _keys(call))]
    assert lookups and all(call.access_key in OWN_ACCESS_KEYS for call in lookups)
    assert all(sessions.get(call.access_key) == tenant_a.id for call in signed
               if any(key and key.startswith("T#") for key in _keys(call)))


@pytest.mark.iam_refusals_expected
def test_another_tenants_key_is_signed_by_the_scopes_tenant_so_iam_refuses_it(
        role_arn: str, client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    """The tenant comes from the scope (the verified principal), never from the keys: a bug that computes tenant
    B's key while serving tenant A signs it as A, which the LeadingKeys condition refuses in AWS."""
    with recording_signed_calls() as calls, tenant_scope(tenant_a.id):
        TenantItem.get(f"T#{tenant_b.id}#Tenant#{tenant_b.id}", "#")
    (call,) = calls
    assert call.tenant == tenant_a.id and not call.allowed


def test_without_the_role_every_call_uses_the_functions_own_credentials(
        client: TestClient, tenant_a: Tenant, signed: list[Signed], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATRIUM_TENANT_DATA_ROLE_ARN")
    settings.cache_clear()
    Item._connection = None
    try:
        signed.clear()
        assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
        assert signed and all(call.access_key in OWN_ACCESS_KEYS for call in signed)
    finally:
        monkeypatch.undo()
        settings.cache_clear()
        Item._connection = None


TENANT = "ten_01ARZ3NDEKTSV4RRFFQ69G5FAV"
OTHER = "ten_01BX5ZZKBKACTAV9WEVGEMMVRZ"


@pytest.mark.parametrize(("call", "allowed"), [
    (SignedCall("GetItem", (f"T#{TENANT}#Proof#1",), TENANT, TENANT), True),
    (SignedCall("GetItem", (f"T#{OTHER}#Proof#1",), TENANT, TENANT), False),
    (SignedCall("GetItem", (f"T#{TENANT}",), TENANT, TENANT), False),  # not under the tenant's prefix
    (SignedCall("TransactWriteItems", (f"T#{TENANT}#Proof#1", "G#UserEmail#a@b.c"), TENANT, TENANT), True),
    (SignedCall("TransactWriteItems", (f"T#{TENANT}#Proof#1", f"T#{OTHER}#Proof#1"), TENANT, TENANT), False),
    (SignedCall("Scan", (), TENANT, TENANT), False),
    (SignedCall("GetItem", (None,), TENANT, TENANT), False),
    (SignedCall("GetItem", ("G#UserEmail#a@b.c",), None, None), True),
    (SignedCall("GetItem", (f"T#{TENANT}#Proof#1",), None, None), False),
    (SignedCall("UpdateItem", (f"T#{TENANT}#RateWindow#1700000000",), None, None), True),
    (SignedCall("GetItem", (f"T#{TENANT}#RateWindow#1700000000",), None, None), False),
    # The function's own role: a Scan by a statement without condition, which only Grant.TABLE_SCAN gives (tests/infra).
    (SignedCall("Scan", (), None, None), True),
])
def test_the_suites_iam_check_applies_each_signers_policy(call: SignedCall, allowed: bool) -> None:
    assert call.allowed is allowed


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
    assert leading_keys(operation, params) == expected
