"""API tokens: create (secret shown once), list, read, rotate (with a grace period), revoke.

Every change goes through the token's tenant item, whose version guards its secrets' items: a rotation
or a revocation reads the token and its live secrets, then writes them in one transaction.
"""

from datetime import timedelta

from atrium.identity.access import catalog, token_secrets
from atrium.identity.access.events import (
    API_TOKEN_CREATED,
    API_TOKEN_REVOKED,
    API_TOKEN_ROTATED,
    ApiTokenChanged,
    ApiTokenRotated,
)
from atrium.identity.access.models import ApiTokenItem, ApiTokenSecretItem, SecretRef
from atrium.identity.access.schemas import ApiTokenCreate, ApiTokenList, ApiTokenOut, ApiTokenSecretOut, iso_or_none
from atrium.identity.tokens import token_hash
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, PrincipalType, actor_of

_COLLISION = Conflict("id collision; retry")
TOKEN_JANITOR = Ref(type="service", id="access.revoke_tokens_of_removed_member")


def token_out(token: ApiTokenItem) -> ApiTokenOut:
    return ApiTokenOut(id=token.id, name=token.name, prefix=token.prefix, scopes=list(token.scopes),
                       created_by=token.created_by, created_at=clock.iso(token.created_at),
                       last_used_at=iso_or_none(token.last_used_at), expires_at=iso_or_none(token.valid_until))


def _event(token: ApiTokenItem) -> ApiTokenChanged:
    return ApiTokenChanged(token_id=token.id, name=token.name, prefix=token.prefix, scopes=list(token.scopes),
                           expires_at=iso_or_none(token.valid_until))


def _uow(principal: Principal, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(principal.tenant_id, actor_of(principal), info)


def _add_secret(uow: UnitOfWork, token: ApiTokenItem) -> str:
    """A new current secret for ``token`` (its item is created in ``uow``); returns the secret."""
    secret = token_secrets.mint(token.tenant_id)
    hashed = token_hash(secret)
    uow.create(ApiTokenSecretItem(natural_key=hashed, tenant_id=token.tenant_id, token_id=token.id,
                                  scopes=list(token.scopes), valid_until=token.valid_until,
                                  expires_at=token.valid_until, created_by=token.created_by), conflict=_COLLISION)
    token.secrets = [*token.secrets, SecretRef(hash=hashed)]  # type: ignore[no-untyped-call]
    token.prefix = token_secrets.display_prefix(secret)
    return secret


def create_token(principal: Principal, body: ApiTokenCreate, info: RequestInfo) -> ApiTokenSecretOut:
    if principal.type is not PrincipalType.USER:
        raise Forbidden("API tokens are created by users, not by other API tokens")
    scopes = catalog.check_grantable(principal, body.scopes, field="body.scopes")
    if body.expires_at is not None and body.expires_at <= clock.now():
        raise Unprocessable("expires_at must be in the future",
                            errors=[{"field": "body.expires_at", "message": "in the past"}])
    token = ApiTokenItem(tenant_id=principal.tenant_id, id=ids.new_id("tok"), name=body.name, prefix="",
                         scopes=scopes, created_by=principal.id, valid_until=body.expires_at)
    uow = _uow(principal, info)
    secret = _add_secret(uow, token)
    uow.create(token, conflict=_COLLISION)
    uow.record(API_TOKEN_CREATED.name, subject=Ref(type="api_token", id=token.id), data=_event(token).model_dump())
    uow.commit()
    return ApiTokenSecretOut(**token_out(token).model_dump(), secret=secret)


def _load(principal: Principal, token_id: str, *, consistent: bool = False) -> ApiTokenItem:
    if not ids.is_valid_id(token_id, "tok"):
        raise NotFound(f"api token {token_id} not found")
    return ApiTokenItem.load(principal.tenant_id, token_id, consistent=consistent)


def get_token(principal: Principal, token_id: str) -> ApiTokenOut:
    return token_out(_load(principal, token_id))


def list_tokens(principal: Principal, *, limit: int, cursor: str | None) -> ApiTokenList:
    page = collection_page(ApiTokenItem, principal.tenant_id, limit=limit, cursor=cursor, query="api_tokens")
    return ApiTokenList(data=[token_out(t) for t in page.items], next_cursor=page.next_cursor)


def _live_secrets(token: ApiTokenItem) -> list[ApiTokenSecretItem]:
    """The token's secret items that still exist (a past-grace one may have been removed by TTL)."""
    wanted = [(keys.global_pk(ApiTokenSecretItem.type_name(), ref.hash), keys.ENTITY_SK) for ref in token.secrets]
    return list(ApiTokenSecretItem.batch_get(wanted, consistent_read=True)) if wanted else []


def rotate_token(principal: Principal, token_id: str, info: RequestInfo) -> ApiTokenSecretOut:
    """A new secret; the current one works until the grace period ends, and an older one still in its grace
    period stops now, so at most two secrets are ever live."""
    token = _load(principal, token_id, consistent=True)
    # A new secret is a credential like a new token: nobody gets one carrying more than they could grant.
    catalog.check_grantable(principal, list(token.scopes), field="scopes")
    now = clock.now()
    if token.valid_until is not None and token.valid_until <= now:
        raise Conflict("the token has expired; create a new one")
    grace_end = now + timedelta(seconds=settings().api_token_rotation_grace_seconds)
    grace_end = min(grace_end, token.valid_until) if token.valid_until else grace_end
    current = token.secrets[-1].hash if token.secrets else None
    uow = _uow(principal, info)
    for item in _live_secrets(token):
        if item.natural_key == current:
            item.valid_until = item.expires_at = grace_end
            uow.save(item)
        else:
            uow.delete(item)
    token.secrets = [SecretRef(hash=current, valid_until=grace_end)] if current else []  # type: ignore[no-untyped-call]
    secret = _add_secret(uow, token)
    uow.save(token)
    uow.record(API_TOKEN_ROTATED.name, subject=Ref(type="api_token", id=token.id), data=ApiTokenRotated(
        **_event(token).model_dump(), previous_secret_valid_until=clock.iso(grace_end)).model_dump())
    uow.commit()
    return ApiTokenSecretOut(**token_out(token).model_dump(), secret=secret,
                             previous_secret_valid_until=clock.iso(grace_end))


def revoke_token(principal: Principal, token_id: str, info: RequestInfo) -> None:
    """The token and every secret it holds, in one transaction: no secret outlives its token."""
    _revoke(_load(principal, token_id, consistent=True), _uow(principal, info))


def revoke_tokens_created_by(tenant_id: str, user_id: str) -> int:
    """Revoke every token ``user_id`` created in ``tenant_id`` (they left it), each in its own transaction, so a
    retry after a failure revokes the rest; the number revoked. Call inside the tenant's scope."""
    tokens = [token for token in ApiTokenItem.gsi1.query(keys.collection_pk(tenant_id, ApiTokenItem.type_name()))
              if isinstance(token, ApiTokenItem) and token.created_by == user_id]
    for token in tokens:
        _revoke(token, UnitOfWork(tenant_id, TOKEN_JANITOR))
    return len(tokens)


def _revoke(token: ApiTokenItem, uow: UnitOfWork) -> None:
    for item in _live_secrets(token):
        uow.delete(item)
    uow.delete(token)
    uow.record(API_TOKEN_REVOKED.name, subject=Ref(type="api_token", id=token.id), data=_event(token).model_dump())
    uow.commit()
