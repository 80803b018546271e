"""Turning TOTP on and off for the signed-in user, and replacing recovery codes.

Each change is one unit of work in the caller's tenant: the user (version-checked) and the audit entry.
Wrong codes count toward the user's lockout (``secret_checks``). The secret is stored sealed (``totp_secrets``).
"""

from atrium.identity.account import secret_checks, totp_secrets
from atrium.identity.account.factors import (
    accept_second_factor,
    accept_totp,
    new_recovery_codes,
    new_totp_secret,
    otpauth_uri,
    wrong_code,
)
from atrium.identity.account.schemas import RecoveryCodes, TotpEnrolment
from atrium.identity.account.users import user_ref
from atrium.identity.models import UserItem
from atrium.kernel.errors import Conflict, Unauthenticated
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal


def _user(principal: Principal) -> UserItem:
    user = UserItem.find(principal.id)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    return user


def _save(principal: Principal, user: UserItem, action: str, info: RequestInfo,
          check: secret_checks.SecretCheck | None = None) -> None:
    uow = UnitOfWork(principal.tenant_id, user_ref(principal.id), info)
    if check is not None:
        check.clear(uow)
    uow.save(user)
    uow.record(action, subject=user_ref(user.id), data={}, emit=False)
    uow.commit()


def start_enrolment(principal: Principal, info: RequestInfo) -> TotpEnrolment:
    """A new pending secret (replacing any earlier pending one); MFA is on only once a code confirms it."""
    user = _user(principal)
    if user.mfa_enabled:
        raise Conflict("MFA is already on; turn it off first to enrol another authenticator")
    secret = new_totp_secret()
    totp_secrets.store(user, secret)
    user.totp_last_step = None
    _save(principal, user, "account.mfa_enrolment_started", info)
    return TotpEnrolment(secret=secret, otpauth_uri=otpauth_uri(secret, user.email))


def confirm_enrolment(principal: Principal, code: str, info: RequestInfo) -> RecoveryCodes:
    check = secret_checks.begin(principal)
    user = check.user
    if user.mfa_enabled or user.totp_secret is None:
        raise Conflict("no enrolment is pending; start one with POST /v1/me/mfa/totp")
    check.require(lambda: accept_totp(user, code), wrong_code())
    user.mfa_enabled = True
    codes = new_recovery_codes(user)
    _save(principal, user, "account.mfa_enabled", info, check)
    return RecoveryCodes(recovery_codes=codes)


def _enabled_user(principal: Principal, code: str) -> secret_checks.SecretCheck:
    check = secret_checks.begin(principal)
    if not check.user.mfa_enabled:
        raise Conflict("MFA is off")
    check.require(lambda: accept_second_factor(check.user, code), wrong_code())
    return check


def disable(principal: Principal, code: str, info: RequestInfo) -> None:
    check = _enabled_user(principal, code)
    user = check.user
    totp_secrets.store(user, None)
    user.mfa_enabled, user.totp_last_step, user.recovery_code_hashes = False, None, []
    _save(principal, user, "account.mfa_disabled", info, check)


def regenerate_recovery_codes(principal: Principal, code: str, info: RequestInfo) -> RecoveryCodes:
    check = _enabled_user(principal, code)
    codes = new_recovery_codes(check.user)
    _save(principal, check.user, "account.recovery_codes_regenerated", info, check)
    return RecoveryCodes(recovery_codes=codes)
