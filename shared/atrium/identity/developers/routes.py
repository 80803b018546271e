"""Developer routes: registration and verification (public), then the developer realm (``Realm.DEVELOPER``: a
developer's API key; tenant users, API tokens and operators are refused on every one)."""

from typing import TYPE_CHECKING

from atrium.identity.developers.access import DEVELOPER_PERMISSION
from atrium.identity.developers.schemas import (
    DeveloperOut,
    DeveloperRegistration,
    NewKey,
    RegistrationAccepted,
    VerificationRequest,
    Verified,
)
from atrium.kernel.config import settings
from atrium.kernel.grants import WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.routing import PUBLIC, ContextRouter, Realm
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.identity.developers import accounts
else:
    (accounts,) = lazy_modules("atrium.identity.developers", "accounts")

router = ContextRouter("developers")
_MAIL = {*WRITE, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}


@router.post("/v1/developers", name="register_developer", permission=PUBLIC, status_code=202, grants=_MAIL)
def register_developer(body: DeveloperRegistration, info: CurrentRequest) -> RegistrationAccepted:
    """Register as a plugin developer: a verification link goes to the address (the answer is the same whether or
    not it is already registered)."""
    return RegistrationAccepted(detail=accounts.register(body, info, settings().web_url))


@router.post("/v1/developers/verify", name="verify_developer", permission=PUBLIC, status_code=201, grants=WRITE,
             responses={422: {"description": "The link is unknown or expired"}})
def verify_developer(body: VerificationRequest, info: CurrentRequest) -> Verified:
    """Verify the address with the emailed link's token: the account is active, and its first API key is
    answered, once."""
    return accounts.verify(body.token, info)


@router.get("/v1/developer", name="get_developer", permission=DEVELOPER_PERMISSION, realm=Realm.DEVELOPER,
            grants={Grant.TABLE_READ})
def get_developer(principal: CurrentPrincipal) -> DeveloperOut:
    """The calling developer: their account and keys (never a secret)."""
    return accounts.developer_out(accounts.current(principal))


@router.post("/v1/developer/keys", name="create_developer_key", permission=DEVELOPER_PERMISSION,
             realm=Realm.DEVELOPER, status_code=201, grants=WRITE,
             responses={409: {"description": "Ten keys held already"}})
def create_developer_key(principal: CurrentPrincipal, info: CurrentRequest) -> NewKey:
    """Another API key, its secret answered once."""
    return accounts.create_key(principal, info)


@router.delete("/v1/developer/keys/{key_id}", name="revoke_developer_key", permission=DEVELOPER_PERMISSION,
               realm=Realm.DEVELOPER, status_code=204, grants=WRITE,
               responses={404: {"description": "No such key of the caller's"}})
def revoke_developer_key(key_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Revoke a key: it stops opening the developer realm within a minute."""
    accounts.revoke_key(principal, key_id, info)
