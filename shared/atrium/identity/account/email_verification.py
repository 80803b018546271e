"""Proving the user's email address: a SELF request emits an event, the consumer mints and emails the link
(a secret is minted where it is delivered, never put in an event), and the link's token sets
``email_verified`` (for the owner who signed the tenant up, it also lifts the hold on the tenant's mail:
``mail.api.release_if_owner``). Redeeming is public (the link opens without signing in) and recorded in the
user's first tenant (``users.audit_tenant``).
"""

from atrium.identity.account.events import EMAIL_VERIFICATION_REQUESTED, EmailVerificationRequested
from atrium.identity.account.one_time_tokens import EMAIL_VERIFICATION, find_live, invalid_token
from atrium.identity.account.throttle import link_email_limit
from atrium.identity.account.users import audit_tenant, user_ref
from atrium.identity.models import UserItem
from atrium.kernel.errors import Conflict, PreconditionFailed, Unauthenticated
from atrium.kernel.store.counters import take_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, tenant_scope
from atrium.mail.api import release_if_owner

ACCEPTED = "A verification link is on its way."


def request_verification(principal: Principal, info: RequestInfo) -> None:
    """The link email is counted in the request's transaction, keyed by the user (429 when one went out in this
    interval)."""
    user = UserItem.find(principal.id)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    if user.email_verified:
        raise Conflict("the email address is already verified")
    uow = UnitOfWork(principal.tenant_id, user_ref(user.id), info)
    take_in(uow, link_email_limit(EMAIL_VERIFICATION), user.id)
    uow.record(EMAIL_VERIFICATION_REQUESTED.name, subject=user_ref(user.id),
               data=EmailVerificationRequested(user_id=user.id, email=user.email).model_dump())
    uow.commit()


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
        release_if_owner(uow, tenant_id, user.id)
        uow.record("account.email_verified", subject=user_ref(user.id), data={"email": user.email}, emit=False)
        try:
            uow.commit()
        except PreconditionFailed:  # spent by a concurrent request (or the account changed)
            raise invalid_token() from None
