"""Webhooks consumers: every deliverable event becomes a message for the tenant's endpoints; each delivery
attempt is a task; a disabled endpoint's admins are told."""

from typing import Any

from atrium.kernel.consumers import ConsumerSpec, Events, Tasks
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant
from atrium.webhooks import event_types, messages
from atrium.webhooks.delivery_tasks import DELIVER_TASK
from atrium.webhooks.events import WEBHOOK_ENDPOINT_DISABLED

# The two handlers below import their modules when first called: the HTTP client (delivery) and mail rendering
# (the alert) are each one consumer's alone, and every consumer's function loads this module.


def attempt_delivery(bodies: list[dict[str, Any]]) -> set[int]:
    from atrium.webhooks import delivery

    return delivery.attempt_delivery(bodies)


def notify_endpoint_disabled(event: Envelope) -> None:
    from atrium.webhooks import endpoint_alerts

    endpoint_alerts.notify_admins(event)


CONSUMERS = [
    ConsumerSpec(
        name="webhooks.fan_out",
        source=Events(types=tuple(sorted(event_types.deliverable_names()))),
        handler=messages.fan_out,
        description="Make each deliverable event a webhook message for the tenant's subscribed endpoints.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND}),
    ),
    ConsumerSpec(
        name=DELIVER_TASK,
        source=Tasks(),
        handler=attempt_delivery,
        description="Send one webhook message to one endpoint; record the attempt; schedule the retry.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.WEBHOOK_KEY_READ, Grant.TASKS_SEND}),
        # A receiver may take up to the total timeout per attempt; a batch runs its attempts concurrently.
        timeout_seconds=60,
        # Delivery failures are recorded and retried on the schedule; only an infrastructure failure raises.
        max_receive_count=5,
    ),
    ConsumerSpec(
        name="webhooks.notify_endpoint_disabled",
        source=Events(types=(WEBHOOK_ENDPOINT_DISABLED.name,)),
        handler=notify_endpoint_disabled,
        description="Email a tenant's admins that Atrium disabled one of its webhook endpoints.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}),
    ),
]
