"""API shapes of the account context."""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

Password = Annotated[str, Field(min_length=1, max_length=256)]
# A 6-digit TOTP code or a recovery code (xxxx-xxxx-xxxx-xxxx); spaces and dashes are ignored.
Code = Annotated[str, Field(min_length=6, max_length=32, pattern=r"^[0-9A-Za-z -]+$")]
OneTimeToken = Annotated[str, Field(min_length=1, max_length=128)]
Email = Annotated[EmailStr, Field(max_length=254)]


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"current_password": "correct horse battery staple", "new_password": "plaid wombat tuesday lantern"}]})

    current_password: Password
    new_password: Password


class PasswordResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"email": "ada@example.com"}]})

    email: Email


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"token": "atr_pwr_3q2-7wVgS9sYwQ0f2m1X8pQjKXW2bqkq5yZ8mZr0aS4", "password": "plaid wombat tuesday lantern"}]})

    token: OneTimeToken
    password: Password


class EmailVerification(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"token": "atr_ver_3q2-7wVgS9sYwQ0f2m1X8pQjKXW2bqkq5yZ8mZr0aS4"}]})

    token: OneTimeToken


class Accepted(BaseModel):
    """The request was taken; what follows arrives by email."""

    detail: str


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "123456"}]})

    code: Code


class MfaCompletion(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"mfa_token": "atr_mfa_3q2-7wVgS9sYwQ0f2m1X8pQjKXW2bqkq5yZ8mZr0aS4", "code": "123456"}]})

    mfa_token: str = Field(min_length=1, max_length=128)
    code: Code


class TotpEnrolment(BaseModel):
    """Add ``secret`` to an authenticator app (or scan ``otpauth_uri`` as a QR code), then confirm a code."""

    secret: str
    otpauth_uri: str


class RecoveryCodes(BaseModel):
    """Shown once: each code signs in once in place of a TOTP code."""

    recovery_codes: list[str]


class SessionTokens(BaseModel):
    """A new session's tokens: the shape of ``identity.schemas.Tokens``, declared here so that an account route
    function does not import the identity context at cold start (a test keeps the two equal)."""

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class StepUp(BaseModel):
    """Exactly one of ``password`` and ``code`` (a TOTP or recovery code, once MFA is on)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"password": "correct horse battery staple"}, {"code": "123456"}]})

    password: Password | None = None
    code: Code | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.password is None) == (self.code is None):
            raise ValueError("send exactly one of password and code")
        return self


class StepUpToken(BaseModel):
    """An access token of the caller's session that the routes needing a step-up accept until it expires, in
    ``expires_in`` seconds. It comes with no refresh token: the session's own refresh token goes on as before."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class EmailChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"email": "ada.lovelace@example.com"}]})

    email: Email


class EmailChangeConfirmation(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"token": "atr_eml_3q2-7wVgS9sYwQ0f2m1X8pQjKXW2bqkq5yZ8mZr0aS4"}]})

    token: OneTimeToken
