"""The delivery task: one attempt of one message at one endpoint, queued now or when it is due."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from atrium.kernel import tasks
from atrium.webhooks.message_models import WebhookDeliveryItem

# The consumer that delivers (its source is Tasks): tasks are sent to its queue by this name.
DELIVER_TASK = "webhooks.deliver"


def attempt_task(delivery: WebhookDeliveryItem, attempt: int) -> tasks.Task:
    body: dict[str, Any] = {"tenant_id": delivery.tenant_id, "message_id": delivery.message_id,
                            "endpoint_id": delivery.endpoint_id, "attempt": attempt}
    # One key per attempt of a delivery: sending the same attempt twice schedules it once.
    return tasks.Task(body, key=f"{delivery.tenant_id}:{delivery.message_id}:{delivery.endpoint_id}:{attempt}")


def queue_attempt(delivery: WebhookDeliveryItem, attempt: int, *, at: datetime) -> None:
    """Queue ``attempt`` of a delivery again, for ``at`` (a rate-limited attempt waits its turn)."""
    tasks.send(DELIVER_TASK, [attempt_task(delivery, attempt)], at=at)


def queue_next_attempts(deliveries: Sequence[WebhookDeliveryItem], *, at: datetime | None = None) -> None:
    """Queue each delivery's next attempt (the one after those it has claimed)."""
    if deliveries:
        tasks.send(DELIVER_TASK, [attempt_task(d, int(d.attempts) + 1) for d in deliveries], at=at)
