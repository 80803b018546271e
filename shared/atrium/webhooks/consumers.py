"""Webhooks consumers: every deliverable event becomes a message for the tenant's endpoints; a disabled
endpoint's admins are told."""

from atrium.kernel.events.routing import ConsumerSpec
from atrium.kernel.grants import Grant
from atrium.webhooks import endpoint_alerts, event_types, messages
from atrium.webhooks.events import WEBHOOK_ENDPOINT_DISABLED

CONSUMERS = [
    ConsumerSpec(
        name="webhooks.fan_out",
        event_types=tuple(sorted(event_types.deliverable_names())),
        handler=messages.fan_out,
        description="Make each deliverable event a webhook message for the tenant's subscribed endpoints.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND}),
    ),
    ConsumerSpec(
        name="webhooks.notify_endpoint_disabled",
        event_types=(WEBHOOK_ENDPOINT_DISABLED.name,),
        handler=endpoint_alerts.notify_admins,
        description="Email a tenant's admins that Atrium disabled one of its webhook endpoints.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}),
    ),
]
