"""Who signs each DynamoDB call of the product, and whether IAM would let that signer name the call's keys.

moto does not enforce IAM conditions. The deployed policies bound every DynamoDB call by ``dynamodb:LeadingKeys``
(the partition keys it names): a tenant's session (kernel/store/tenant_credentials.py) to its own keys and the
global ones, a function's own role to the global ones, and to adding 1 to rate-window counters. This module applies
those patterns, the constants the infra writes into the policies (tests/infra checks the templates carry them), to
every call of the models' client, with the signer botocore used: the credentials that signed the call, mapped to
the tenant tag of the AssumeRole call that issued them.
"""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.client import BaseClient

from atrium.kernel.http.rate_limits import KEY_PATTERNS as RATE_WINDOW_KEYS
from atrium.kernel.store.table import TABLE
from atrium.kernel.store.tenant_credentials import GLOBAL_KEYS, TENANT_TAG, TenantScopedCredentials, tenant_keys
from atrium.kernel.tenancy import tenant_in_scope
from tests.support.iam_string_like import string_like

_SESSION_TENANT = "aws:PrincipalTag/" + TENANT_TAG
# What each signer's policy allows, as the infra writes it: a tenant's session (the tenant data policy, read back
# from the templates by tests/infra/test_tenant_isolation.py), a function's own role (infra/constructs/data.py).
TENANT_SESSION_KEYS = (tenant_keys("${" + _SESSION_TENANT + "}"), GLOBAL_KEYS)
OWN_ROLE_KEYS = (GLOBAL_KEYS,)
OWN_ROLE_COUNTER_KEYS = (GLOBAL_KEYS, *RATE_WINDOW_KEYS)  # UpdateItem, for a route holding no table grant
_METHOD = "_make_api_call"  # private, hence not in botocore-stubs: reached through getattr/setattr
_HASH_KEYS = frozenset({TABLE.partition_key, *(index.partition_key for index in TABLE.indexes)})
_KEY_CONDITION = re.compile(r"(#\w+)\s*=\s*(:\w+)")
_sessions: dict[str, str] = {}  # access key id -> the tenant tag of the session it belongs to
_recorders: list[list["SignedCall"]] = []


def _partition_key(item: Mapping[str, Any]) -> str | None:
    value = item.get(TABLE.partition_key, {})
    return value.get("S") if isinstance(value, Mapping) else None


def _query_keys(params: Mapping[str, Any]) -> Iterator[str | None]:
    names, values = params.get("ExpressionAttributeNames", {}), params.get("ExpressionAttributeValues", {})
    for name, value in _KEY_CONDITION.findall(params.get("KeyConditionExpression", "")):
        if names.get(name, name) in _HASH_KEYS:
            yield values.get(value, {}).get("S")


def leading_keys(operation: str, params: Mapping[str, Any]) -> list[str | None]:
    """The partition keys a call names, as IAM's ``dynamodb:LeadingKeys`` sees them; empty for one naming none
    (a Scan), which the policies' Null guard refuses."""
    if operation == "Query":
        return list(_query_keys(params))
    if operation in ("GetItem", "UpdateItem", "DeleteItem"):
        return [_partition_key(params.get("Key", {}))]
    if operation == "PutItem":
        return [_partition_key(params.get("Item", {}))]
    if operation == "BatchGetItem":
        return [_partition_key(key) for table in params.get("RequestItems", {}).values()
                for key in table.get("Keys", [])]
    if operation == "BatchWriteItem":
        return [_partition_key(request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {})
                               .get("Key", {}))
                for requests in params.get("RequestItems", {}).values() for request in requests]
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return [_partition_key(action.get("Item") or action.get("Key", {}))
                for entry in params.get("TransactItems", []) for action in entry.values()]
    return []


@dataclass(frozen=True)
class SignedCall:
    operation: str
    keys: tuple[str | None, ...]
    tenant: str | None  # the tenant whose session signed the call; None: the function's own role
    in_scope: str | None  # the tenant in scope when it was made

    @property
    def names_tenant_data(self) -> bool:
        return any(key and key.startswith("T#") for key in self.keys)

    @property
    def allowed(self) -> bool:
        """What the policy of the signer allows (``ForAllValues:StringLike`` on the keys, Null guard). A Scan names
        no key: only a function's own role may make one, by a statement of its own without condition (which only
        ``Grant.TABLE_SCAN`` gives: tests/infra); the tenant data policy holds none."""
        if self.operation == "Scan":
            return self.tenant is None
        patterns: tuple[str, ...] = OWN_ROLE_COUNTER_KEYS if self.operation == "UpdateItem" else OWN_ROLE_KEYS
        variables = {}
        if self.tenant:
            patterns, variables = TENANT_SESSION_KEYS, {_SESSION_TENANT: self.tenant}
        return bool(self.keys) and all(key and any(string_like(pattern, key, variables) for pattern in patterns)
                                       for key in self.keys)

    def __str__(self) -> str:
        signer = f"tenant {self.tenant}'s session" if self.tenant else "the function's own role"
        return f"{self.operation} {list(self.keys)} signed by {signer} (in scope: {self.in_scope})"


def _signer_of(client: BaseClient) -> TenantScopedCredentials | None:
    signer = getattr(client, "_request_signer", None)
    credentials = getattr(signer, "_credentials", None)
    return credentials if isinstance(credentials, TenantScopedCredentials) else None


def _learn_session(params: Mapping[str, Any], response: Mapping[str, Any]) -> None:
    tags = {tag["Key"]: tag["Value"] for tag in params.get("Tags", [])}
    if TENANT_TAG in tags:
        _sessions[response["Credentials"]["AccessKeyId"]] = tags[TENANT_TAG]


def install() -> None:
    """Watch every API call of the process from now on (idempotent); ``recording_signed_calls`` collects them."""
    original = getattr(BaseClient, _METHOD)
    if getattr(original, "_watches_signers", False):
        return

    def watching(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        response = None
        try:
            response = original(client, operation_name, api_params)
            return response
        finally:
            if (credentials := _signer_of(client)) is not None:
                # Read in the caller's context right after the call: the signer chosen for it is still chosen.
                access_key = credentials.get_frozen_credentials().access_key
                call = SignedCall(operation_name, tuple(leading_keys(operation_name, api_params)),
                                  _sessions.get(access_key or ""), tenant_in_scope())
                for recorder in _recorders:
                    recorder.append(call)
            elif operation_name == "AssumeRole" and response is not None:
                _learn_session(api_params, response)

    watching._watches_signers = True  # type: ignore[attr-defined]
    setattr(BaseClient, _METHOD, watching)


@contextmanager
def recording_signed_calls() -> Iterator[list[SignedCall]]:
    """The DynamoDB calls of the models' client (when it signs tenant-scoped calls as the tenant) made meanwhile."""
    install()
    calls: list[SignedCall] = []
    _recorders.append(calls)
    try:
        yield calls
    finally:
        _recorders.remove(calls)
