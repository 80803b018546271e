"""Sessions: one per sign-in, holding the family of refresh tokens it has issued."""

from atrium.identity.models import RefreshTokenItem, SessionItem
from atrium.identity.schemas import Tokens
from atrium.identity.tokens import issue_access_token, new_refresh_token, token_hash
from atrium.kernel import ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import UnitOfWork


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
