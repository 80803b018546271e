"""Tenant-owned data through the tenant's own credentials: isolation below the code.

A route function given ``ATRIUM_TENANT_DATA_ROLE_ARN`` (infra/constructs/tenant_isolation.py) signs each
DynamoDB call that names only tenant-owned partition keys (``T#...``) with a session of that role tagged with
the tenant in scope. The role's policy allows only keys under ``T#<that tenant>#`` (``dynamodb:LeadingKeys``),
so a key computed for another tenant, whatever the bug, is refused by IAM. The tenant is the scope's (the
verified principal's), never read from the keys. A call that names a global item (``G#...``), or runs outside
a tenant scope, is signed by the function's own role, as every call of a function without the variable is.

Sessions come from botocore's assume-role fetcher: one per tenant and process, refreshed shortly before it
expires, the most recent ``MAX_TENANTS`` kept.
"""

import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from botocore.client import BaseClient
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    Credentials,
    DeferredRefreshableCredentials,
    ReadOnlyCredentials,
)
from botocore.session import Session

from atrium.kernel.store.table import TABLE
from atrium.kernel.tenancy import tenant_in_scope

TENANT_TAG = "tenant_id"  # the session tag the role's trust and data policies read
MAX_TENANTS = 256
_TENANT_OWNED = "T#"
_INSTALLED = "_atrium_tenant_credentials"
_HASH_KEYS = frozenset({TABLE.partition_key, *(index.partition_key for index in TABLE.indexes)})
_KEY_CONDITION = re.compile(r"(#\w+)\s*=\s*(:\w+)")
# The tenant whose session signs the call being made (None: the function's own role); set per call.
_signing_tenant: ContextVar[str | None] = ContextVar("atrium_signing_tenant", default=None)


def _partition_key(item: Mapping[str, Any]) -> str | None:
    value = item.get(TABLE.partition_key, {})
    return value.get("S") if isinstance(value, Mapping) else None


def _query_keys(params: Mapping[str, Any]) -> Iterator[str | None]:
    names, values = params.get("ExpressionAttributeNames", {}), params.get("ExpressionAttributeValues", {})
    for name, value in _KEY_CONDITION.findall(params.get("KeyConditionExpression", "")):
        if names.get(name, name) in _HASH_KEYS:
            yield values.get(value, {}).get("S")


def leading_keys(operation: str, params: Mapping[str, Any]) -> list[str | None]:
    """The partition keys a call names, as IAM's ``dynamodb:LeadingKeys`` sees them; empty when it names none
    this module understands (such a call keeps the function's own role)."""
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


def _choose_signer(params: Mapping[str, Any], model: Any, **_: Any) -> None:
    """botocore's before-parameter-build hook: the tenant in scope signs a call naming only tenant-owned keys."""
    keys = leading_keys(model.name, params)
    tenant_only = bool(keys) and all(key and key.startswith(_TENANT_OWNED) for key in keys)
    _signing_tenant.set(tenant_in_scope() if tenant_only else None)


class TenantSessions:
    """The role's sessions, one per tenant, assumed with the function's own credentials."""

    def __init__(self, session: Session, own: Credentials, role_arn: str) -> None:
        self._session, self._own, self._role_arn = session, own, role_arn
        self._by_tenant: OrderedDict[str, DeferredRefreshableCredentials] = OrderedDict()

    def credentials(self, tenant_id: str) -> DeferredRefreshableCredentials:
        if tenant_id in self._by_tenant:
            self._by_tenant.move_to_end(tenant_id)
            return self._by_tenant[tenant_id]
        fetcher = AssumeRoleCredentialFetcher(
            self._session.create_client, self._own, self._role_arn,
            extra_args={"RoleSessionName": f"atrium-{tenant_id}", "Tags": [{"Key": TENANT_TAG, "Value": tenant_id}]},
            cache={})
        credentials = DeferredRefreshableCredentials(fetcher.fetch_credentials, "assume-role")
        self._by_tenant[tenant_id] = credentials
        if len(self._by_tenant) > MAX_TENANTS:
            self._by_tenant.popitem(last=False)
        return credentials


class TenantScopedCredentials(Credentials):
    """What signs the client's calls: the tenant's session when ``_choose_signer`` chose one, else its own."""

    def __init__(self, own: Credentials, sessions: TenantSessions) -> None:
        super().__init__(own.access_key, own.secret_key, own.token, method="atrium-tenant-scoped")
        self._own, self._sessions = own, sessions

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        tenant_id = _signing_tenant.get()
        signer = self._sessions.credentials(tenant_id) if tenant_id else self._own
        return signer.get_frozen_credentials()


def sign_tenant_calls_as_tenant(client: BaseClient, session: Session, role_arn: str) -> None:
    """Make ``client`` (a DynamoDB client) sign tenant-owned calls with the tenant's session. Idempotent."""
    if getattr(client, _INSTALLED, False):
        return
    own = session.get_credentials()
    if own is None:
        raise RuntimeError("no AWS credentials to assume the tenant data role with")
    client.meta.events.register("before-parameter-build.dynamodb", _choose_signer)
    # The signer reads this attribute on every request (PynamoDB relies on it too); botocore has no public way
    # to give one client credentials that vary per call.
    client._request_signer._credentials = TenantScopedCredentials(  # type: ignore[attr-defined]
        own, TenantSessions(session, own, role_arn))
    setattr(client, _INSTALLED, True)
