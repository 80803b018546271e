"""Identity consumers."""

from atrium.identity.events import TENANT_CREATED, TenantCreated
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant
from atrium.mail.api import Category, Email, send_email


def send_welcome_email(event: Envelope) -> None:
    data = TenantCreated.model_validate(event.data)
    send_email(Email(to=data.owner_email, template="welcome", category=Category.ACCOUNT,
                     context={"tenant_name": data.name, "tenant_id": data.tenant_id}))


CONSUMERS = [
    ConsumerSpec(
        name="identity.send_welcome_email",
        source=Events(types=(TENANT_CREATED.name,)),
        handler=send_welcome_email,
        description="Welcome the owner of a new tenant by email.",
        grants=frozenset({Grant.MAIL_SEND}),
    ),
]
