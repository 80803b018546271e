"""Account consumers."""

from atrium.identity.account import reset_requests
from atrium.identity.account.events import (
    EMAIL_CHANGE_REQUESTED,
    EMAIL_CHANGED,
    EMAIL_VERIFICATION_REQUESTED,
    PASSWORD_RESET_REQUESTED,
    EmailChange,
    EmailVerificationRequested,
    PasswordResetRequested,
)
from atrium.identity.account.link_emails import send_link
from atrium.identity.account.member_emails import copy_email_to_memberships
from atrium.identity.account.one_time_tokens import EMAIL_CHANGE, EMAIL_VERIFICATION, PASSWORD_RESET, mint
from atrium.kernel.consumers import ConsumerSpec, Events, Tasks
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant
from atrium.mail.api import Category, Email, send_email


def send_verification_email(event: Envelope) -> None:
    """Mint the link here, where it is delivered. A redelivered event mints a second link: both work, once."""
    data = EmailVerificationRequested.model_validate(event.data)
    token, item = mint(EMAIL_VERIFICATION, user_id=data.user_id, email=data.email)
    item.save()
    send_link(to=data.email, action="verify your email address", page="verify-email", token=token,
              lifetime="24 hours", intro="Confirm that this address is yours:")


def send_password_reset_email(event: Envelope) -> None:
    """Mint the link here, where it is delivered (as for verification): a failed send is retried from
    the queue, and the public request answers without waiting on the mail service."""
    data = PasswordResetRequested.model_validate(event.data)
    token, item = mint(PASSWORD_RESET, user_id=data.user_id, email=data.email)
    item.save()
    send_link(to=data.email, action="reset your password", page="reset-password", token=token,
              lifetime="one hour", intro="Someone (hopefully you) asked to reset your password. Choose a new one:")


def send_email_change_emails(event: Envelope) -> None:
    """The notice to the current address first: of the two, it guards the account. A redelivered event sends both
    again (two links, each working once)."""
    data = EmailChange.model_validate(event.data)
    send_email(Email(to=data.previous_email, template="notification", category=Category.SECURITY, context={
        "headline": "Your email address is being changed",
        "message": f"Someone signed in to your account asked to use {data.email} in place of this address. If it was "
                   "not you, change your password now: that cancels the change and signs everyone out.",
        "action_url": None, "action_label": None}))
    token, item = mint(EMAIL_CHANGE, user_id=data.user_id, email=data.email, previous_email=data.previous_email)
    item.save()
    send_link(to=data.email, action="confirm your new email address", page="confirm-email-change", token=token,
              lifetime="24 hours", intro="Confirm that this address is yours, signed in to your account as now:")


CONSUMERS = [
    ConsumerSpec(
        name="account.send_verification_email",
        source=Events(types=(EMAIL_VERIFICATION_REQUESTED.name,)),
        handler=send_verification_email,
        description="Email a user the link that verifies their address.",
        grants=frozenset({Grant.TABLE_WRITE, Grant.MAIL_SEND}),
    ),
    ConsumerSpec(
        name="account.send_password_reset_email",
        source=Events(types=(PASSWORD_RESET_REQUESTED.name,)),
        handler=send_password_reset_email,
        description="Email a user the link that resets their password.",
        grants=frozenset({Grant.TABLE_WRITE, Grant.MAIL_SEND}),
    ),
    ConsumerSpec(
        name=reset_requests.LOOKUP_TASK,
        source=Tasks(tenant_bound=False),  # the body names an email address; the tenant is the account's first
        handler=reset_requests.look_up,
        description="Find the account a password reset request names; record the request if there is one.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
    ),
    ConsumerSpec(
        name="account.send_email_change_emails",
        source=Events(types=(EMAIL_CHANGE_REQUESTED.name,)),
        handler=send_email_change_emails,
        description="Email the link confirming a new address to it, and a notice to the address it replaces.",
        grants=frozenset({Grant.TABLE_WRITE, Grant.MAIL_SEND}),
    ),
    ConsumerSpec(
        name="account.copy_email_to_memberships",
        source=Events(types=(EMAIL_CHANGED.name,)),
        handler=copy_email_to_memberships,
        description="Rewrite each membership's copy of a user's changed email address, in its own tenant.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
    ),
]
