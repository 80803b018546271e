"""The routing table: which consumer receives which event types.

Each consumer is declared once, in its context's ``consumers.py``. CDK makes one rule, one
queue and one DLQ per consumer from it; the local stack provisions the same in moto.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from atrium.kernel.events.envelope import EVENT_SOURCE, Envelope
from atrium.kernel.events.queued import QueuedSpec

# The tag on a consumer's queue and DLQ (both runtimes): how operators' tools find them by consumer name.
CONSUMER_TAG = "atrium:consumer"


@dataclass(frozen=True, kw_only=True)
class ConsumerSpec(QueuedSpec):
    event_types: tuple[str, ...]
    handler: Callable[[Envelope], None]
    # Narrows the rule to events whose ``detail`` matches (EventBridge pattern syntax).
    detail: dict[str, Any] | None = field(default=None, hash=False)

    def event_pattern(self) -> dict[str, Any]:
        pattern: dict[str, Any] = {"source": [EVENT_SOURCE], "detail-type": list(self.event_types)}
        return pattern | {"detail": self.detail} if self.detail else pattern
