"""Identity consumers."""

from html import escape

from atrium.identity.events import TENANT_CREATED, TenantCreated
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.events.routing import ConsumerSpec
from atrium.kernel.grants import Grant
from atrium.mail.service import send_email


def send_welcome_email(event: Envelope) -> None:
    data = TenantCreated.model_validate(event.data)
    app = settings().app_name
    send_email(
        to=data.owner_email,
        subject=f"Welcome to {app}, {data.name}",
        text=f"Your workspace {data.name} is ready.\n\nTenant id: {data.tenant_id}\n",
        html=f"<p>Your workspace <strong>{escape(data.name)}</strong> is ready.</p>"
             f"<p>Tenant id: <code>{escape(data.tenant_id)}</code></p>",
    )


CONSUMERS = [
    ConsumerSpec(
        name="identity.send_welcome_email",
        event_types=(TENANT_CREATED.name,),
        handler=send_welcome_email,
        description="Welcome the owner of a new tenant by email.",
        grants=frozenset({Grant.MAIL_SEND}),
    ),
]
