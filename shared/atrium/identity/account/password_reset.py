"""Setting a new password with the emailed reset link (asked for through ``reset_requests``). The change is
recorded in the user's first tenant (``users.audit_tenant``), and every session of the user ends.
"""

from atrium.identity.account.one_time_tokens import PASSWORD_RESET, find_live, invalid_token
from atrium.identity.account.users import audit_tenant, user_ref
from atrium.identity.models import TenantItem, UserItem
from atrium.identity.passwords import check_strength, set_password
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.mail.api import release_if_owner


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
