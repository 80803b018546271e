"""Sessions: one per sign-in, holding the family of refresh tokens it has issued.

Refresh tokens are opaque, stored hashed and spent on first use (ARCHITECTURE §7).
"""

from cryptography.fernet import Fernet

from atrium.identity.access_state import live_access
from atrium.identity.models import RefreshTokenItem, SessionItem
from atrium.identity.schemas import Tokens
from atrium.identity.tokens import issue_access_token, new_refresh_token, token_hash
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed, Unauthenticated
from atrium.kernel.events.envelope import Ref
from atrium.kernel.sealing import sealer
from atrium.kernel.store import keys
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.pages import Page, fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, tenant_scope

# Two requests refreshing with one token within this many seconds both get the same successor.
REFRESH_GRACE_SECONDS = 10
INVALID_REFRESH = "the refresh token is invalid or expired; sign in again"


def open_session(uow: UnitOfWork, *, user_id: str) -> Tokens:
    """Add a new session for ``user_id`` in ``uow``'s tenant; the tokens are good once it commits.

    The access token is signed before anything is written: without a signing key, nothing is.
    """
    session_id = ids.new_id("ses")
    access_token = issue_access_token(user_id=user_id, tenant_id=uow.tenant_id, session_id=session_id)
    refresh_token = new_refresh_token()
    expiry = expires_in(settings().refresh_token_ttl_seconds)
    collision = Conflict("id collision; retry")
    uow.create(SessionItem(tenant_id=uow.tenant_id, id=session_id, user_id=user_id, user_agent=uow.request.user_agent,
                           ip=uow.request.ip, expires_at=expiry), conflict=collision)
    uow.create(RefreshTokenItem(natural_key=token_hash(refresh_token), tenant_id=uow.tenant_id, session_id=session_id,
                                user_id=user_id, expires_at=expiry), conflict=collision)
    return Tokens(access_token=access_token, refresh_token=refresh_token,
                  expires_in=settings().access_token_ttl_seconds)


def _sealing_key(token: str) -> Fernet:
    """Derived from the spent token itself: only a caller holding it can open its successor."""
    return sealer(token, purpose="successor")


def refresh(refresh_token: str, info: RequestInfo) -> Tokens:
    """A new pair for a valid refresh token, which is spent.

    A spent token presented again within the grace window (a racing request) gets the same
    successor; later, it is reuse: a sign the token leaked, so the whole session is revoked.
    """
    presented = RefreshTokenItem.find(token_hash(refresh_token), consistent=True)
    if presented is None or presented.expires_at is None or presented.expires_at <= clock.now():
        raise Unauthenticated(INVALID_REFRESH)
    with tenant_scope(presented.tenant_id):
        if presented.spent_at is not None:
            return _successor_or_revoke(presented, refresh_token, info)
        access = live_access(presented.tenant_id, presented.user_id, presented.session_id)
        principal, session = access.principal, access.session
        successor = new_refresh_token()
        expiry = expires_in(settings().refresh_token_ttl_seconds)
        presented.spent_at = clock.now()
        presented.successor_sealed = _sealing_key(refresh_token).encrypt(successor.encode()).decode()
        session.last_used_at, session.expires_at = clock.now(), expiry
        uow = UnitOfWork(principal.tenant_id, Ref(type="user", id=principal.id), info)
        uow.save(presented)
        uow.save(session)
        uow.create(RefreshTokenItem(natural_key=token_hash(successor), tenant_id=principal.tenant_id,
                                    session_id=session.id, user_id=principal.id, expires_at=expiry),
                   conflict=Conflict("id collision; retry"))
        uow.record("session.refreshed", subject=Ref(type="session", id=session.id), data={}, emit=False)
        try:
            uow.commit()
        except PreconditionFailed:  # a racing refresh spent it first: answer like it did
            raced = RefreshTokenItem.find(presented.natural_key, consistent=True)
            if raced is None or raced.spent_at is None:
                raise
            return _successor_or_revoke(raced, refresh_token, info)
        return _tokens(principal.tenant_id, principal.id, session.id, successor)


def _successor_or_revoke(spent: RefreshTokenItem, refresh_token: str, info: RequestInfo) -> Tokens:
    assert spent.spent_at is not None
    in_grace = (clock.now() - spent.spent_at).total_seconds() <= REFRESH_GRACE_SECONDS
    if in_grace and spent.successor_sealed:
        live_access(spent.tenant_id, spent.user_id, spent.session_id)
        successor = _sealing_key(refresh_token).decrypt(spent.successor_sealed.encode()).decode()
        return _tokens(spent.tenant_id, spent.user_id, spent.session_id, successor)
    revoke_session(spent.tenant_id, spent.session_id, Ref(type="user", id=spent.user_id), info,
                   action="session.refresh_reused")
    raise Unauthenticated("this refresh token was already used; the session is revoked, sign in again")


def _tokens(tenant_id: str, user_id: str, session_id: str, refresh_token: str) -> Tokens:
    return Tokens(access_token=issue_access_token(user_id=user_id, tenant_id=tenant_id, session_id=session_id),
                  refresh_token=refresh_token, expires_in=settings().access_token_ttl_seconds)


def revoke_session(tenant_id: str, session_id: str, actor: Ref, info: RequestInfo, *,
                   action: str = "session.revoked", owner_id: str | None = None) -> None:
    """End a session: its refresh tokens stop at once, its access tokens within the authorizer cache TTL.

    With ``owner_id``, a session of anyone else is reported as not found.
    """
    try:
        session = SessionItem.load(tenant_id, session_id, consistent=True)
    except NotFound:
        if owner_id is not None:
            raise
        return  # already gone: revoking is idempotent
    if owner_id is not None and session.user_id != owner_id:
        raise NotFound(f"session {session_id} not found")
    uow = UnitOfWork(tenant_id, actor, info)
    uow.delete(session)
    uow.record(action, subject=Ref(type="session", id=session_id), data={"user_id": session.user_id}, emit=False)
    uow.commit()


def list_sessions(principal: Principal, *, limit: int, cursor: str | None) -> Page[SessionItem]:
    pk = keys.bucketed_collection_pk(principal.tenant_id, SessionItem.type_name(), principal.id)
    page = fetch_page(lambda start: SessionItem.gsi1.query(pk, limit=limit, last_evaluated_key=start,
                                                            scan_index_forward=False),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"sessions:{principal.id}")
    return Page([item for item in page.items if isinstance(item, SessionItem)], page.next_cursor)
