"""Webhooks' task queue: one delivery attempt of one message to one endpoint per task."""

from atrium.kernel.grants import Grant
from atrium.kernel.tasks import TaskSpec
from atrium.webhooks import delivery

DELIVER = TaskSpec(
    name="webhooks.deliver",
    description="Send one webhook message to one endpoint; record the attempt; schedule the retry.",
    handler=delivery.attempt_delivery,
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.WEBHOOK_KEY_READ, Grant.TASKS_SEND}),
    # A receiver may take up to the total timeout per attempt; a batch runs its attempts concurrently.
    timeout_seconds=60,
    # Delivery failures are recorded and retried on the schedule; only an infrastructure failure raises.
    max_receive_count=5,
)

TASKS = [DELIVER]
