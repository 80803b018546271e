"""API tokens at the authorizer: a presented secret -> the token's principal.

A token may do what its scopes name and its creator may still do: its permissions are its scopes that the
creator's current roles allow, and a token whose creator is no longer an active member authenticates nothing.
A miss reads the secret's item, the tenant (for suspension), the tenant's custom roles and its subscription
(the plan's API rate limit) in one BatchGetItem, then the creator's membership (GetItem); the answer is cached
for ``access_cache_seconds`` like a user's live access, so a revoked token stops within that (plus the
API Gateway cache). Validity is checked on every request, cached or not, so a secret stops at its expiry
or at the end of its rotation grace period to the second.

``last_used_at`` is a conditional UpdateItem on the token's item, made at most once per
``LAST_USED_EVERY_SECONDS`` per token and process, and landing at most once per that window per token
whatever the number of processes (the condition refuses a fresher value).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError
from pynamodb.exceptions import PynamoDBException

from atrium.billing.api import subscription_key
from atrium.identity.access import token_secrets
from atrium.identity.access.models import ApiTokenItem, ApiTokenSecretItem
from atrium.identity.access.roles import permissions_for
from atrium.identity.access_state import api_rate_limit, check_tenant_active
from atrium.identity.models import ACTIVE, CUSTOM_ROLES_ID, CustomRolesItem, MembershipItem, TenantItem
from atrium.identity.tokens import token_hash
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import NotFound, Unauthenticated
from atrium.kernel.observability import logger
from atrium.kernel.permissions import allows
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.writes import condition_failed
from atrium.kernel.tenancy import Principal, PrincipalType, tenant_scope
from atrium.kernel.ttl_cache import TtlCache

LAST_USED_EVERY_SECONDS = 300


@dataclass(frozen=True)
class _Access:
    principal: Principal
    valid_until: datetime | None


_access: TtlCache[str, _Access] = TtlCache(settings().access_cache_seconds)
# Tokens whose use this process recorded (or found recorded) within the window: no write for them.
_recent_use: TtlCache[str, bool] = TtlCache(LAST_USED_EVERY_SECONDS)


def api_token_principal(secret: str) -> Principal:
    tenant_id = token_secrets.tenant_of(secret)
    if tenant_id is None:
        raise Unauthenticated("the API token is malformed")
    hashed = token_hash(secret)
    access = _access.get(hashed)
    if access is None:
        access = _load(tenant_id, hashed)
        _access.put(hashed, access)
    now = clock.now()
    if access.valid_until is not None and now >= access.valid_until:
        raise Unauthenticated("the API token has expired or was replaced by a rotation")
    _record_use(access.principal, now)
    return access.principal


def forget_cached_tokens() -> None:
    """Drop cached answers (what a token may do); the memory of recorded uses is not access and stays."""
    _access.clear()


def _load(tenant_id: str, hashed: str) -> _Access:
    with tenant_scope(tenant_id):
        wanted: list[Item] = [ApiTokenSecretItem(natural_key=hashed), TenantItem(tenant_id=tenant_id, id=tenant_id),
                              CustomRolesItem(tenant_id=tenant_id, id=CUSTOM_ROLES_ID)]
        for item in wanted:
            item.assign_keys()
        found = list(Item.batch_get([(item.pk, keys.ENTITY_SK) for item in wanted] + [subscription_key(tenant_id)]))
        secret = next((item for item in found if isinstance(item, ApiTokenSecretItem)), None)
        if secret is None or secret.tenant_id != tenant_id:
            raise Unauthenticated("the API token is unknown or revoked")
        check_tenant_active(next((item for item in found if isinstance(item, TenantItem)), None))
        custom = next((item for item in found if isinstance(item, CustomRolesItem)), None)
        creator = _creator(tenant_id, secret)
    held = permissions_for(creator.roles_at(clock.now()), custom.permissions() if custom else None)
    # A scoped member's token is confined as they are, to the record their membership names now.
    principal = Principal(type=PrincipalType.API_TOKEN, id=secret.token_id, tenant_id=tenant_id,
                          permissions=frozenset(scope for scope in secret.scopes if allows(held, scope)),
                          scope=creator.scope, tenant_requests_per_minute=api_rate_limit(found))
    return _Access(principal, secret.valid_until)


def _creator(tenant_id: str, secret: ApiTokenSecretItem) -> MembershipItem:
    """The token's creator's membership; refuses the token if they are no longer an active member."""
    gone = Unauthenticated("the API token's creator is no longer a member of this tenant")
    try:
        created_by = secret.created_by or ApiTokenItem.load(tenant_id, secret.token_id).created_by
        membership = MembershipItem.load(tenant_id, created_by)
    except NotFound:
        raise gone from None
    if membership.status != ACTIVE:
        raise gone
    return membership


def _record_use(principal: Principal, now: datetime) -> None:
    if _recent_use.get(principal.id):
        return
    _recent_use.put(principal.id, True)
    stale = now - timedelta(seconds=LAST_USED_EVERY_SECONDS)
    try:
        with tenant_scope(principal.tenant_id):
            token = ApiTokenItem(tenant_id=principal.tenant_id, id=principal.id)
            token.assign_keys()
            # The connection's update, not the model's: the model's would bump the version (the token's ETag).
            ApiTokenItem._get_connection().update_item(
                token.pk, range_key=keys.ENTITY_SK, actions=[ApiTokenItem.last_used_at.set(now)],
                condition=ApiTokenItem.pk.exists() & (
                    ApiTokenItem.last_used_at.does_not_exist() | (ApiTokenItem.last_used_at < stale)))
    except (PynamoDBException, BotoCoreError) as error:
        if not condition_failed(error):
            # Losing a last-used time is better than refusing a valid request.
            logger.warning("API token last use not recorded", extra={"token_id": principal.id})
