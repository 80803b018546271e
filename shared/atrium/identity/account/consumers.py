"""Account consumers."""

from atrium.identity.account import reset_requests
from atrium.identity.account.events import (
    EMAIL_VERIFICATION_REQUESTED,
    PASSWORD_RESET_REQUESTED,
    EmailVerificationRequested,
    PasswordResetRequested,
)
from atrium.identity.account.link_emails import send_link
from atrium.identity.account.one_time_tokens import EMAIL_VERIFICATION, PASSWORD_RESET, mint
from atrium.kernel.consumers import ConsumerSpec, Events, Tasks
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant


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
]
