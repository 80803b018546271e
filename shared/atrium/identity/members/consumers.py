"""Members consumers."""

from atrium.identity.members.events import INVITATION_CREATED, InvitationCreated
from atrium.identity.members.invitation_emails import send_invitation
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant


def send_invitation_email(event: Envelope) -> None:
    send_invitation(event.tenant_id, InvitationCreated.model_validate(event.data).invitation_id)


CONSUMERS = [
    ConsumerSpec(
        name="members.send_invitation_email",
        source=Events(types=(INVITATION_CREATED.name,)),
        handler=send_invitation_email,
        description="Mint the invitation's one-time token and email the accept link.",
        grants=frozenset({Grant.MAIL_SEND}),  # consumers read and write the table by default
    ),
]
