"""Sample requests of the account context, for the bench (``atrium.kernel.testing``). Each acts on a fresh user: a
password or email change ends the caller's sessions, and MFA steps move the user's state."""

from typing import Any

import pyotp

from atrium.identity.account.one_time_tokens import EMAIL_CHANGE, EMAIL_VERIFICATION, PASSWORD_RESET, Purpose, mint
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, Request, RequestSetup

NEW_PASSWORD = "plaid wombat tuesday lantern"


def _emailed(purpose: Purpose, user: dict[str, Any], new_email: str | None = None) -> str:
    """A live one-time token for ``user``, stored as the consumer that emails it would: sent to its address, or to
    a ``new_email`` replacing it."""
    email = user["user"]["email"]
    token, item = mint(purpose, user_id=user["user"]["id"], email=new_email or email,
                       previous_email=email if new_email else None)
    item.save()
    return token


def _new_email(fixture: Fixture) -> str:
    return f"{fixture.unique('moved')}@bench.example"


def _user_with_mfa(fixture: Fixture) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Another owner with TOTP on: its signup, auth header and recovery codes."""
    user, auth = fixture.new_user()
    secret = fixture.client.post("/v1/me/mfa/totp", headers=fixture.step_up(auth)).json()["secret"]
    response = fixture.client.post("/v1/me/mfa/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=auth)
    response.raise_for_status()
    return user, auth, response.json()["recovery_codes"]


def _change_password(fixture: Fixture, _spec: RouteSpec) -> Request:
    _, auth = fixture.new_user()
    return Request(body={"current_password": fixture.password, "new_password": NEW_PASSWORD}, headers=auth)


def _confirm_reset(fixture: Fixture, _spec: RouteSpec) -> Request:
    user, _auth = fixture.new_user()
    return Request(body={"token": _emailed(PASSWORD_RESET, user), "password": NEW_PASSWORD})


def _verify_email(fixture: Fixture, _spec: RouteSpec) -> Request:
    user, _auth = fixture.new_user()
    return Request(body={"token": _emailed(EMAIL_VERIFICATION, user)})


def _with_recovery_code(fixture: Fixture, _spec: RouteSpec) -> Request:
    _, auth, codes = _user_with_mfa(fixture)
    return Request(body={"code": codes[0]}, headers=auth)


def _confirm_totp(fixture: Fixture, _spec: RouteSpec) -> Request:
    _, auth = fixture.new_user()
    secret = fixture.client.post("/v1/me/mfa/totp", headers=fixture.step_up(auth)).json()["secret"]
    return Request(body={"code": pyotp.TOTP(secret).now()}, headers=auth)


def _complete_mfa(fixture: Fixture, _spec: RouteSpec) -> Request:
    """The challenge a sign-in of a user with TOTP answers, and one of its recovery codes."""
    user, _auth, codes = _user_with_mfa(fixture)
    response = fixture.client.post("/v1/auth/login", json={"email": user["user"]["email"],
                                                           "password": fixture.password})
    response.raise_for_status()
    return Request(body={"mfa_token": response.json()["mfa_token"], "code": codes[0]})


def _confirm_email_change(fixture: Fixture, _spec: RouteSpec) -> Request:
    user, auth = fixture.new_user()
    return Request(body={"token": _emailed(EMAIL_CHANGE, user, _new_email(fixture))}, headers=auth)


def _fresh_user(fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request(headers=fixture.new_user()[1])


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "account.change_password": _change_password,
    "account.request_password_reset": lambda fixture, _: Request(
        body={"email": fixture.new_user()[0]["user"]["email"]}),
    "account.confirm_password_reset": _confirm_reset,
    "account.request_email_verification": _fresh_user,
    "account.verify_email": _verify_email,
    "account.start_totp_enrolment": _fresh_user,
    "account.confirm_totp_enrolment": _confirm_totp,
    "account.disable_totp": _with_recovery_code,
    "account.regenerate_recovery_codes": _with_recovery_code,
    "account.complete_mfa": _complete_mfa,
    "account.step_up": lambda fixture, _: Request(body={"password": fixture.password}),
    "account.request_email_change": lambda fixture, _: Request(body={"email": _new_email(fixture)},
                                                               headers=fixture.new_user()[1]),
    "account.confirm_email_change": _confirm_email_change,
}

_COUNTED = ("The attempt is counted (one conditional UpdateItem) before the secret is checked, so concurrent guesses "
            "cannot all be checked; a right secret clears that count in the transaction.")

AWS_CALL_BUDGETS = {
    "account.change_password": CallBudget(3,
        "One BatchGetItem (the user, to verify the current password, the tenant, whose name the strength check uses, "
        "and the user's lockout state) before the transaction. " + _COUNTED),
    "account.request_password_reset": CallBudget(0,
        "No DynamoDB call at all: the route queues the address (one SQS SendMessageBatch) so that its calls, and so "
        "its time, are the same whether or not an account has the email; the task account.look_up_password_reset "
        "reads the pointer and the user and records the request (tests/security/test_reset_enumeration.py)."),
    "account.confirm_password_reset": CallBudget(5,
        "The token item, then the user it names, then the user's first tenant (its name feeds the strength check; the "
        "change is audited there) and that tenant's unverified-owner mark (mail's item, read through mail.api: the "
        "reset proves the mailbox, so the mark goes in the transaction if this user is the owner it waits for), then "
        "the transaction. Each key is only known from the previous read."),
    "account.request_email_verification": CallBudget(2,
        "The user (to refuse an already verified address) before the transaction, which also counts the link email."),
    "account.verify_email": CallBudget(4,
        "The token item, then the user it names (the key comes from the token), then the unverified-owner mark of the "
        "user's first tenant (mail's item, read through mail.api; deleted in the transaction if this user is the "
        "owner it waits for), then the transaction."),
    "account.start_totp_enrolment": CallBudget(2,
        "The user (global, version-checked) is read before the transaction that saves it with its new pending secret."),
    "account.confirm_totp_enrolment": CallBudget(3,
        "One BatchGetItem (the user, global and version-checked, with the user's lockout state) before the transaction"
        " that saves it: the code it holds is checked first. " + _COUNTED),
    "account.disable_totp": CallBudget(3,
        "One BatchGetItem (the user, global and version-checked, with the user's lockout state) before the transaction"
        " that saves it: the code it holds is checked first. " + _COUNTED),
    "account.regenerate_recovery_codes": CallBudget(3,
        "One BatchGetItem (the user, global and version-checked, with the user's lockout state) before the transaction"
        " that saves it: the code it holds is checked first. " + _COUNTED),
    "account.complete_mfa": CallBudget(4,
        "The challenge, then one BatchGetItem of its user, tenant and the user's MFA lockout state (keys from the "
        "challenge; the tenant must still be active), then the transaction (challenge deleted, user saved, session "
        "opened). " + _COUNTED),
    "account.step_up": CallBudget(3,
        "One BatchGetItem (the user, whose password or code is checked, with the user's lockout state) before the "
        "transaction holding the audit entry (and, for a code, the user that spends it). " + _COUNTED),
    "account.request_email_change": CallBudget(2,
        "One BatchGetItem (the user, the throttle window, and the new address's pointer: an address another account "
        "has is refused at once) before the transaction recording the request and its event (the consumer mints and "
        "sends the link)."),
    "account.confirm_email_change": CallBudget(2,
        "One BatchGetItem (the token item, and the caller's user: the link must be theirs, for their current address)"
        " before the transaction moving the email pointer, saving the user, spending the token and opening the new "
        "session."),
}
