"""Proving the user's email address: a SELF request emits an event, the consumer mints and emails the link
(a secret is minted where it is delivered, never put in an event), and the link's token sets
``email_verified``. Redeeming is public (the link opens without signing in) and recorded in the user's
first tenant (``users.audit_tenant``).
"""

from atrium.identity.account.events import EMAIL_VERIFICATION_REQUESTED, EmailVerificationRequested
from atrium.identity.account.models import MailThrottleItem
from atrium.identity.account.one_time_tokens import EMAIL_VERIFICATION, find_live, invalid_token
from atrium.identity.account.throttle import MailThrottled, claim, seconds_left, throttle_item
from atrium.identity.account.users import audit_tenant, first_of, read_together, user_ref
from atrium.identity.models import UserItem
from atrium.kernel.errors import Conflict, PreconditionFailed, Unauthenticated
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, tenant_scope

ACCEPTED = "A verification link is on its way."


def _user_and_window(user_id: str) -> tuple[UserItem | None, MailThrottleItem | None]:
    """One BatchGetItem; the throttle is keyed by the user id here (the email is only known once read)."""
    user, window = UserItem(natural_key=user_id), throttle_item(EMAIL_VERIFICATION.name, user_id)
    user.assign_keys()
    found = read_together(user, window)
    return first_of(found, UserItem), first_of(found, MailThrottleItem)


def request_verification(principal: Principal, info: RequestInfo) -> None:
    user, window = _user_and_window(principal.id)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    if user.email_verified:
        raise Conflict("the email address is already verified")
    wait = seconds_left(window)
    if wait:
        raise MailThrottled(wait)
    uow = UnitOfWork(principal.tenant_id, user_ref(user.id), info)
    claim(uow, window, EMAIL_VERIFICATION.name, user.id)
    uow.record(EMAIL_VERIFICATION_REQUESTED.name, subject=user_ref(user.id),
               data=EmailVerificationRequested(user_id=user.id, email=user.email).model_dump())
    try:
        uow.commit()
    except PreconditionFailed:
        raise MailThrottled() from None  # a concurrent request took this window


def verify(token: str, info: RequestInfo) -> None:
    item = find_live(EMAIL_VERIFICATION, token)
    user = UserItem.find(item.user_id)
    tenant_id = audit_tenant(user) if user else None
    if user is None or tenant_id is None or user.email != item.email:
        raise invalid_token()  # the address changed since the link was sent
    user.email_verified = True
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, user_ref(user.id), info)
        uow.save(user)
        uow.delete(item)  # single use
        uow.record("account.email_verified", subject=user_ref(user.id), data={"email": user.email}, emit=False)
        try:
            uow.commit()
        except PreconditionFailed:  # spent by a concurrent request (or the account changed)
            raise invalid_token() from None
