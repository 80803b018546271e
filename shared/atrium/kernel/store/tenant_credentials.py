"""Tenant data through the tenant's own credentials: isolation below the code.

A function given ``ATRIUM_TENANT_DATA_ROLE_ARN`` (infra/constructs/tenant_isolation.py) signs every DynamoDB call
made inside a tenant scope with a session of that role tagged with the tenant in scope: routes, consumers, jobs and
tasks alike, transactions that also touch global items included. IAM lets such a session name only partition keys
under ``T#<that tenant>#`` and global ones (``G#...``), so a key computed for another tenant, whatever the bug, is
refused. The tenant is the scope's (the verified principal's, the event's, the job's), never read from the keys.
Outside a tenant scope a call is signed by the function's own role, which IAM limits to global items.

Sessions come from botocore's assume-role fetcher: one per tenant and process, refreshed shortly before it
expires, the most recent ``MAX_TENANTS`` kept.
"""

from collections import OrderedDict
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from botocore.client import BaseClient
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    Credentials,
    DeferredRefreshableCredentials,
    ReadOnlyCredentials,
)
from botocore.session import Session

from atrium.kernel.tenancy import tenant_in_scope

TENANT_TAG = "tenant_id"  # the session tag the role's trust and data policies read
MAX_TENANTS = 256
_INSTALLED = "_atrium_tenant_credentials"
# The partition keys (IAM's ``dynamodb:LeadingKeys``, ``StringLike``) each signer may name: the global items, for
# the function's own role and every tenant's session; a tenant's own items, for its session alone.
GLOBAL_KEYS = "G#*"


def tenant_keys(tenant: str) -> str:
    """The pattern of a tenant's keys (``tenant`` may be an IAM policy variable)."""
    return f"T#{tenant}#*"


# The tenant whose session signs the call being made (None: the function's own role); set per call.
_signing_tenant: ContextVar[str | None] = ContextVar("atrium_signing_tenant", default=None)


def _choose_signer(**_: Any) -> None:
    """botocore's before-parameter-build hook: the tenant in scope, if any, signs the call."""
    _signing_tenant.set(tenant_in_scope())


class TenantSessions:
    """The role's sessions, one per tenant, assumed with the function's own credentials."""

    def __init__(self, session: Session, own: Credentials, role_arn: str) -> None:
        self._own, self._role_arn = own, role_arn
        self._by_tenant: OrderedDict[str, DeferredRefreshableCredentials] = OrderedDict()
        # One STS client for every session (the fetcher asks for one per fetch; each costs about 100 ms to make),
        # made again only when the function's own credentials change.
        self._client_creator = lru_cache(maxsize=1)(session.create_client)

    def credentials(self, tenant_id: str) -> DeferredRefreshableCredentials:
        if tenant_id in self._by_tenant:
            self._by_tenant.move_to_end(tenant_id)
            return self._by_tenant[tenant_id]
        fetcher = AssumeRoleCredentialFetcher(
            self._client_creator, self._own, self._role_arn,
            extra_args={"RoleSessionName": f"atrium-{tenant_id}", "Tags": [{"Key": TENANT_TAG, "Value": tenant_id}]},
            cache={})
        credentials = DeferredRefreshableCredentials(fetcher.fetch_credentials, "assume-role")
        self._by_tenant[tenant_id] = credentials
        if len(self._by_tenant) > MAX_TENANTS:
            self._by_tenant.popitem(last=False)
        return credentials


class TenantScopedCredentials(Credentials):
    """What signs the client's calls: the session of the tenant ``_choose_signer`` chose, else its own."""

    def __init__(self, own: Credentials, sessions: TenantSessions) -> None:
        super().__init__(own.access_key, own.secret_key, own.token, method="atrium-tenant-scoped")
        self._own, self._sessions = own, sessions

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        tenant_id = _signing_tenant.get()
        signer = self._sessions.credentials(tenant_id) if tenant_id else self._own
        return signer.get_frozen_credentials()


def sign_tenant_calls_as_tenant(client: BaseClient, session: Session, role_arn: str) -> None:
    """Make ``client`` (a DynamoDB client) sign the calls made in a tenant scope with the tenant's session.
    Idempotent."""
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
