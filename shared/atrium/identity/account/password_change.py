"""The signed-in user changes their password and gets a new session (all others end)."""

from atrium.identity.account import secret_checks
from atrium.identity.account.field_errors import field_error, wrong_password
from atrium.identity.account.schemas import PasswordChange
from atrium.identity.account.users import user_ref
from atrium.identity.passwords import check_strength, set_password, verify_password
from atrium.identity.schemas import Tokens
from atrium.identity.sessions import open_session
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal


def change_password(principal: Principal, change: PasswordChange, info: RequestInfo) -> Tokens:
    check = secret_checks.begin(principal)
    user, tenant = check.user, check.tenant
    # The new password is judged first: a weak one must not spend one of the current password's attempts.
    if change.new_password == change.current_password:
        raise field_error("new_password", "must differ from the current password", "same_password")
    check_strength(change.new_password, email=user.email, tenant_name=tenant.name if tenant else None,
                   field="body.new_password")
    check.require(lambda: verify_password(user.password_hash, change.current_password),
                  wrong_password("current_password"))
    set_password(user, change.new_password)
    uow = UnitOfWork(principal.tenant_id, user_ref(user.id), info)
    check.clear(uow)
    uow.save(user)
    tokens = open_session(uow, user_id=user.id)  # begins after sessions_valid_after: the one session alive
    uow.record("account.password_changed", subject=user_ref(user.id), data={}, emit=False)
    uow.commit()
    return tokens
