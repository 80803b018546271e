"""Changing the signed-in user's email address, which signs them in and receives their password resets.

The request (a step-up route) records ``account.email_change_requested``; its consumer emails a link to the new
address and a notice to the current one (a secret is minted where it is delivered, never put in an event). The
link's token, sent back by the same user signed in, makes the change: one transaction moves the global email
pointer (refused with 409 if another account took the address meanwhile), saves the user with the new address
verified, spends the token and, as a password change does, ends every session of the user and opens a new one for
the caller. Each membership's copy of the address follows from ``account.email_changed`` (``member_emails``).

A link is void once the address it replaces is no longer the user's, and once the password changed after it was
sent: the notice tells the owner of the current address that changing the password cancels the change.
"""

from atrium.identity.account.events import EMAIL_CHANGE_REQUESTED, EMAIL_CHANGED, EmailChange
from atrium.identity.account.field_errors import field_error
from atrium.identity.account.one_time_tokens import EMAIL_CHANGE, invalid_token, live, wanted
from atrium.identity.account.throttle import link_email_limit
from atrium.identity.account.users import first_of, read_together, user_ref
from atrium.identity.models import OneTimeTokenItem, UserEmailItem, UserItem
from atrium.identity.schemas import Tokens
from atrium.identity.sessions import open_session
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, PreconditionFailed, Unauthenticated
from atrium.kernel.store.counters import take_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal

ACCEPTED = "A link confirming the change is on its way to the new address; the current address is told."


def _taken() -> Conflict:
    return Conflict("an account with this email already exists")


def request_change(principal: Principal, new_email: str, info: RequestInfo) -> None:
    email = new_email.lower()
    found = read_together(UserItem(natural_key=principal.id), UserEmailItem.of(email))
    user = first_of(found, UserItem)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    if email == user.email:
        raise field_error("email", "is already your address", "same_email")
    if first_of(found, UserEmailItem) is not None:
        raise _taken()
    uow = UnitOfWork(principal.tenant_id, user_ref(user.id), info)
    take_in(uow, link_email_limit(EMAIL_CHANGE), user.id)  # 429 when a link went out in this interval
    uow.record(EMAIL_CHANGE_REQUESTED.name, subject=user_ref(user.id),
               data=EmailChange(user_id=user.id, email=email, previous_email=user.email).model_dump())
    uow.commit()


def _token_and_user(principal: Principal, token: str) -> tuple[OneTimeTokenItem, UserItem]:
    """One BatchGetItem; ``invalid_token`` unless the token is a live one of the caller's for their current address,
    sent since their password last changed."""
    found = read_together(wanted(EMAIL_CHANGE, token), UserItem(natural_key=principal.id))
    item, user = live(EMAIL_CHANGE, first_of(found, OneTimeTokenItem)), first_of(found, UserItem)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    if item.user_id != user.id or item.previous_email != user.email or (
            user.sessions_valid_after is not None and item.created_at < user.sessions_valid_after):
        raise invalid_token()
    return item, user


def confirm_change(principal: Principal, token: str, info: RequestInfo) -> Tokens:
    item, user = _token_and_user(principal, token)
    previous = user.email
    user.email, user.email_verified = item.email, True  # the link reached the new inbox
    user.sessions_valid_after = clock.now()  # every session ends, as when the password changes
    uow = UnitOfWork(principal.tenant_id, user_ref(user.id), info)
    uow.create(UserEmailItem.of(item.email, user_id=user.id), conflict=_taken())
    # The pointer of the user's own address, deleted whatever its version: the user's version check below is what
    # keeps the move whole.
    uow.discard(UserEmailItem.of(previous))
    uow.save(user)
    uow.delete(item)  # single use
    tokens = open_session(uow, user_id=user.id)  # begins after sessions_valid_after: the one session alive
    uow.record(EMAIL_CHANGED.name, subject=user_ref(user.id),
               data=EmailChange(user_id=user.id, email=item.email, previous_email=previous).model_dump())
    try:
        uow.commit()
    except PreconditionFailed:  # spent by a concurrent request, or the account changed meanwhile
        raise invalid_token() from None
    return tokens
