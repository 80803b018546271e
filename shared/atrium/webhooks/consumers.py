"""Webhooks consumers: every deliverable event becomes a message for the tenant's endpoints."""

from atrium.kernel.events.routing import ConsumerSpec
from atrium.kernel.grants import Grant
from atrium.webhooks import event_types, messages

CONSUMERS = [
    ConsumerSpec(
        name="webhooks.fan_out",
        event_types=tuple(sorted(event_types.deliverable_names())),
        handler=messages.fan_out,
        description="Make each deliverable event a webhook message for the tenant's subscribed endpoints.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND}),
    ),
]
