"""Requests for the account operations (bench/aws_calls.py REQUEST_SETUP). Each acts on a fresh user: a
password change ends the caller's sessions, and MFA steps move the user's state."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request

NEW_PASSWORD = "plaid wombat tuesday lantern"


def _request(body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> "Request":
    from bench.aws_calls import Request

    return Request(body=body, headers=headers or {})


def _emailed(purpose: Any, user: dict[str, Any]) -> str:
    """A live one-time token for ``user``, stored as the route that emails it would."""
    from atrium.identity.account.one_time_tokens import mint

    token, item = mint(purpose, user_id=user["user"]["id"], email=user["user"]["email"])
    item.save()
    return token


def _change_password(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.moto_world import PASSWORD

    _, auth = fixture.new_user()
    return _request({"current_password": PASSWORD, "new_password": NEW_PASSWORD}, auth)


def _confirm_reset(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from atrium.identity.account.one_time_tokens import PASSWORD_RESET

    user, _auth = fixture.new_user()
    return _request({"token": _emailed(PASSWORD_RESET, user), "password": NEW_PASSWORD})


def _verify_email(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from atrium.identity.account.one_time_tokens import EMAIL_VERIFICATION

    user, _auth = fixture.new_user()
    return _request({"token": _emailed(EMAIL_VERIFICATION, user)})


def _with_recovery_code(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    _, auth, codes = fixture.new_user_with_mfa()
    return _request({"code": codes[0]}, auth)


def _confirm_totp(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    import pyotp

    _, auth = fixture.new_user()
    secret = fixture.client.post("/v1/me/mfa/totp", headers=auth).json()["secret"]
    return _request({"code": pyotp.TOTP(secret).now()}, auth)


def _complete_mfa(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from atrium.identity.mfa_challenge import start_mfa_challenge

    user, _auth, codes = fixture.new_user_with_mfa()
    return _request({"mfa_token": start_mfa_challenge(user["user"]["id"], user["tenant"]["id"]), "code": codes[0]})


def _fresh_user(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    return _request(headers=fixture.new_user()[1])


ACCOUNT_SETUP: dict[str, Callable[["Fixture", "RouteSpec"], "Request"]] = {
    "account.change_password": _change_password,
    "account.request_password_reset": lambda fixture, _: _request({"email": fixture.new_user()[0]["user"]["email"]}),
    "account.confirm_password_reset": _confirm_reset,
    "account.request_email_verification": _fresh_user,
    "account.verify_email": _verify_email,
    "account.start_totp_enrolment": _fresh_user,
    "account.confirm_totp_enrolment": _confirm_totp,
    "account.disable_totp": _with_recovery_code,
    "account.regenerate_recovery_codes": _with_recovery_code,
    "account.complete_mfa": _complete_mfa,
}
