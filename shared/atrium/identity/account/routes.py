"""Account routes: the signed-in user's own security settings (SELF), and the public steps of reset,
verification and MFA sign-in. Services load at their first use (``kernel/lazy.py``): argon2, zxcvbn, pyotp and
the JWT stack load only in the functions that use them."""

from typing import TYPE_CHECKING

from atrium.identity.account.schemas import (
    Accepted,
    CodeRequest,
    EmailChange,
    EmailChangeConfirmation,
    EmailVerification,
    MfaCompletion,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RecoveryCodes,
    SessionTokens,
    StepUp,
    StepUpToken,
    TotpEnrolment,
)
from atrium.kernel.grants import WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.routing import PUBLIC, SELF, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.identity.account import (
        email_change,
        email_verification,
        mfa_login,
        password_change,
        password_reset,
        reset_requests,
        stepping_up,
        totp,
    )
else:
    (email_change, email_verification, mfa_login, password_change, password_reset, reset_requests, stepping_up,
     totp) = lazy_modules("atrium.identity.account", "email_change", "email_verification", "mfa_login",
                          "password_change", "password_reset", "reset_requests", "stepping_up", "totp")

router = ContextRouter("account")
TOTP_PATH = "/v1/me/mfa/totp"
_ISSUES_TOKENS = WRITE | {Grant.SIGNING_KEYS_READ}
_TOTP = WRITE | {Grant.MFA_KEY_READ}  # TOTP secrets are sealed with the MFA key (totp_secrets.py)
_LOCKED_OUT = {429: {"description": "Too many wrong secrets from this user; see Retry-After"}}
_WRONG_CODE = {422: {"description": "The code is incorrect or was already used"}} | _LOCKED_OUT
_MFA_STATE = {409: {"description": "MFA is not in the state this step needs (on, off, enrolment pending)"}}
_BAD_TOKEN = {422: {"description": "The token is invalid, used or expired (or the password is too weak)"}}
_EMAIL_TAKEN = {409: {"description": "Another account has this email address"}}


@router.post("/v1/me/password", name="change_password", permission=SELF, grants=_ISSUES_TOKENS,
             responses={422: {"description": "Wrong current password, or a weak new one"}} | _LOCKED_OUT)
def change_password(body: PasswordChange, principal: CurrentPrincipal, info: CurrentRequest) -> SessionTokens:
    """Change the caller's password. Every session of the user (in every tenant) ends; the tokens returned
    belong to a new session."""
    return SessionTokens.model_validate(password_change.change_password(principal, body, info).model_dump())


@router.post("/v1/auth/password-reset", name="request_password_reset", permission=PUBLIC, status_code=202,
             grants={Grant.TASKS_SEND})
def request_password_reset(body: PasswordResetRequest, info: CurrentRequest) -> Accepted:
    """Email a reset link (valid 1 hour) if an account has this email. The answer, and the time it takes, are the
    same either way: the address is looked up after the answer."""
    reset_requests.queue_reset(body.email, info)
    return Accepted(detail=reset_requests.ACCEPTED)


@router.post("/v1/auth/password-reset/confirm", name="confirm_password_reset", permission=PUBLIC, status_code=204,
             grants=WRITE, responses=_BAD_TOKEN)
def confirm_password_reset(body: PasswordResetConfirm, info: CurrentRequest) -> None:
    """Set a new password with the emailed token (single use). Every session of the user ends."""
    password_reset.confirm_reset(body.token, body.password, info)


@router.post("/v1/me/email-verification", name="request_email_verification", permission=SELF, status_code=202,
             grants=WRITE, responses={409: {"description": "The email address is already verified"},
                                            429: {"description": "A link was sent moments ago; see Retry-After"}})
def request_email_verification(principal: CurrentPrincipal, info: CurrentRequest) -> Accepted:
    """Email the caller a link (valid 24 hours) that verifies their address."""
    email_verification.request_verification(principal, info)
    return Accepted(detail=email_verification.ACCEPTED)


@router.post("/v1/auth/verify-email", name="verify_email", permission=PUBLIC, status_code=204, grants=WRITE,
             responses={422: {"description": "The token is invalid, used or expired"}})
def verify_email(body: EmailVerification, info: CurrentRequest) -> None:
    """Mark the email address verified with the emailed token (single use)."""
    email_verification.verify(body.token, info)


@router.post("/v1/auth/step-up", name="step_up", permission=SELF, grants=_ISSUES_TOKENS | {Grant.MFA_KEY_READ},
             responses={409: {"description": "A code was sent, but MFA is off"},
                        422: {"description": "Wrong password or code, or not exactly one of them"}} | _LOCKED_OUT)
def step_up(body: StepUp, principal: CurrentPrincipal, info: CurrentRequest) -> StepUpToken:
    """Confirm the password (or, with MFA on, a TOTP or recovery code) again. The answer is an access token of this
    session that the routes needing a recent confirmation (``x-atrium-step-up``) accept for 5 minutes."""
    return stepping_up.step_up(principal, body, info)


@router.post("/v1/me/email", name="request_email_change", permission=SELF, status_code=202, grants=WRITE,
             step_up=True, responses={**_EMAIL_TAKEN, 422: {"description": "An invalid address, or the current one"},
                                      429: {"description": "A link was sent moments ago; see Retry-After"}})
def request_email_change(body: EmailChange, principal: CurrentPrincipal, info: CurrentRequest) -> Accepted:
    """Change the caller's email address: a link (valid 24 hours) goes to the new address and a notice to the
    current one. The change happens when the link's token is confirmed."""
    email_change.request_change(principal, body.email, info)
    return Accepted(detail=email_change.ACCEPTED)


@router.post("/v1/me/email/confirm", name="confirm_email_change", permission=SELF, grants=_ISSUES_TOKENS,
             responses={**_EMAIL_TAKEN, 422: {"description": "The token is invalid, used, expired or another user's"}})
def confirm_email_change(body: EmailChangeConfirmation, principal: CurrentPrincipal,
                         info: CurrentRequest) -> SessionTokens:
    """Move the caller's account to the new address with the emailed token (single use). Every session of the user
    (in every tenant) ends; the tokens returned belong to a new session."""
    return SessionTokens.model_validate(email_change.confirm_change(principal, body.token, info).model_dump())


@router.post(TOTP_PATH, name="start_totp_enrolment", permission=SELF, grants=_TOTP, step_up=True,
             responses={409: {"description": "MFA is already on"}})
def start_totp_enrolment(principal: CurrentPrincipal, info: CurrentRequest) -> TotpEnrolment:
    """A new TOTP secret for an authenticator app. MFA turns on once a code confirms it."""
    return totp.start_enrolment(principal, info)


@router.post(f"{TOTP_PATH}/confirm", name="confirm_totp_enrolment", permission=SELF, grants=_TOTP,
             responses=_MFA_STATE | _WRONG_CODE)
def confirm_totp_enrolment(body: CodeRequest, principal: CurrentPrincipal, info: CurrentRequest) -> RecoveryCodes:
    """Turn MFA on with a code from the app; answers ten recovery codes, shown only this once."""
    return totp.confirm_enrolment(principal, body.code, info)


@router.delete(TOTP_PATH, name="disable_totp", permission=SELF, status_code=204, grants=_TOTP, step_up=True,
               responses=_MFA_STATE | _WRONG_CODE)
def disable_totp(body: CodeRequest, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Turn MFA off, with a TOTP code or a recovery code."""
    totp.disable(principal, body.code, info)


@router.post("/v1/me/mfa/recovery-codes", name="regenerate_recovery_codes", permission=SELF, grants=_TOTP,
             step_up=True, responses=_MFA_STATE | _WRONG_CODE)
def regenerate_recovery_codes(body: CodeRequest, principal: CurrentPrincipal, info: CurrentRequest) -> RecoveryCodes:
    """Replace the recovery codes (the old ones stop working), with a TOTP code or a recovery code."""
    return totp.regenerate_recovery_codes(principal, body.code, info)


@router.post("/v1/auth/mfa", name="complete_mfa", permission=PUBLIC, grants=_ISSUES_TOKENS | {Grant.MFA_KEY_READ},
             responses={401: {"description": "Invalid or expired challenge, or a wrong code (5 tries per challenge)"},
                        403: {"description": "The tenant is suspended"},
                        409: {"description": "Another attempt on this challenge was in progress; try again"}})
def complete_mfa(body: MfaCompletion, info: CurrentRequest) -> SessionTokens:
    """Finish signing in: the ``mfa_token`` from login and a TOTP or recovery code -> tokens."""
    return SessionTokens.model_validate(mfa_login.complete(body.mfa_token, body.code, info).model_dump())
