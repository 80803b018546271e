"""Step-up: the signed-in user proves a secret again (the password or, with MFA on, a TOTP or recovery code) and gets
an access token of the same session stamped with that moment (``tokens.issue_step_up_token``), which the routes
declared ``step_up`` accept until it expires (``kernel/http/step_up.py``). Wrong secrets count toward the user's
lockout, as on the other routes where a signed-in user proves one (``secret_checks``).
"""

from atrium.identity.account import secret_checks
from atrium.identity.account.factors import accept_second_factor, wrong_code
from atrium.identity.account.field_errors import wrong_password
from atrium.identity.account.schemas import StepUp, StepUpToken
from atrium.identity.account.users import user_ref
from atrium.identity.passwords import verify_password
from atrium.identity.tokens import issue_step_up_token
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, Unauthenticated
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal


def _prove(check: secret_checks.SecretCheck, request: StepUp) -> str:
    """Check the secret sent (counted first); the method, for the audit entry."""
    user, password, code = check.user, request.password, request.code
    if password is not None:
        check.require(lambda: verify_password(user.password_hash, password), wrong_password("password"))
        return "password"
    assert code is not None  # the schema holds exactly one
    if not user.mfa_enabled:  # a pending enrolment's secret proves nothing yet
        raise Conflict("MFA is off: confirm your password instead")
    check.require(lambda: accept_second_factor(user, code), wrong_code())
    return "code"


def step_up(principal: Principal, request: StepUp, info: RequestInfo) -> StepUpToken:
    if principal.session_id is None:
        raise Unauthenticated("only a signed-in session can step up")
    check = secret_checks.begin(principal)
    method = _prove(check, request)
    # Signed before anything is written: without a signing key, nothing is.
    token = issue_step_up_token(user_id=principal.id, tenant_id=principal.tenant_id, session_id=principal.session_id)
    uow = UnitOfWork(principal.tenant_id, user_ref(principal.id), info)
    check.clear(uow)
    if method == "code":
        uow.save(check.user)  # the TOTP step is used, or the recovery code spent
    uow.record("account.stepped_up", subject=user_ref(principal.id),
               data={"method": method, "session_id": principal.session_id}, emit=False)
    uow.commit()
    return StepUpToken(access_token=token, expires_in=settings().step_up_seconds)
