"""Password reset by emailed link, for a user who cannot sign in.

Users are global and a reset request names no tenant: the request is recorded in the user's first
tenant (``users.audit_tenant``), with an ``account.password_reset_requested`` event whose consumer
mints the link and sends it. The request never waits on the mail service, and a failed send is
retried from the queue instead of being lost.

Whether an email has an account is never revealed: every request gets the same 202 and body, whether
the email is unknown, throttled, or accepted.
"""

from atrium.identity.account.events import PASSWORD_RESET_REQUESTED, PasswordResetRequested
from atrium.identity.account.one_time_tokens import PASSWORD_RESET, find_live, invalid_token
from atrium.identity.account.throttle import link_email_limit
from atrium.identity.account.users import audit_tenant, user_ref
from atrium.identity.models import TenantItem, UserEmailItem, UserItem
from atrium.identity.passwords import check_strength, set_password
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.counters import LimitReached, take_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.mail.api import release_if_owner

ACCEPTED = "If an account uses this email, a link to reset its password is on its way."
ANONYMOUS = Ref(type="anonymous", id="anonymous")


def request_reset(email: str, info: RequestInfo) -> None:
    email = email.lower()
    pointer = UserEmailItem.find(email)
    user = UserItem.find(pointer.user_id) if pointer else None
    tenant_id = audit_tenant(user) if user else None
    if user is None or tenant_id is None:
        return
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, ANONYMOUS, info)
        take_in(uow, link_email_limit(PASSWORD_RESET), email)
        uow.record(PASSWORD_RESET_REQUESTED.name, subject=user_ref(user.id),
                   data=PasswordResetRequested(user_id=user.id, email=user.email).model_dump())
        try:
            uow.commit()
        except LimitReached:
            return  # a link went to this address moments ago


def confirm_reset(token: str, password: str, info: RequestInfo) -> None:
    """Set the password; every session ends. A link issued before the last password change is void."""
    item = find_live(PASSWORD_RESET, token)
    user = UserItem.find(item.user_id)
    tenant_id = audit_tenant(user) if user else None
    if user is None or tenant_id is None or user.email != item.email or (
            user.sessions_valid_after is not None and item.created_at < user.sessions_valid_after):
        raise invalid_token()
    with tenant_scope(tenant_id):
        check_strength(password, email=user.email, tenant_name=_tenant_name(tenant_id))
        set_password(user, password)
        user.email_verified = True  # the link reached the inbox: the address is the user's
        uow = UnitOfWork(tenant_id, user_ref(user.id), info)
        uow.save(user)
        uow.delete(item)  # single use
        release_if_owner(uow, tenant_id, user.id)
        uow.record("account.password_reset", subject=user_ref(user.id), data={}, emit=False)
        try:
            uow.commit()
        except PreconditionFailed:  # the token was spent by a concurrent request (or the account changed)
            raise invalid_token() from None


def _tenant_name(tenant_id: str) -> str | None:
    try:
        return TenantItem.load(tenant_id, tenant_id).name
    except NotFound:
        return None
