"""The routing table: which consumer receives which event types.

Each consumer is declared once, in its context's ``consumers.py``. CDK makes one rule, one
queue and one DLQ per consumer from it; the local stack provisions the same in moto.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from atrium.kernel.events.envelope import EVENT_SOURCE, Envelope
from atrium.kernel.grants import Grant

# The tag on a consumer's queue and DLQ (both runtimes): how operators' tools find them by consumer name.
CONSUMER_TAG = "atrium:consumer"


@dataclass(frozen=True)
class ConsumerSpec:
    name: str
    event_types: tuple[str, ...]
    handler: Callable[[Envelope], None]
    description: str
    grants: frozenset[Grant] = field(default_factory=frozenset)
    # Receives before a message moves to the DLQ.
    max_receive_count: int = 3
    batch_size: int = 10
    timeout_seconds: int = 30
    # Narrows the rule to events whose ``detail`` matches (EventBridge pattern syntax).
    detail: dict[str, Any] | None = field(default=None, hash=False)

    @property
    def resource_name(self) -> str:
        """``identity.send_welcome_email`` -> ``identity-send-welcome-email``."""
        return self.name.replace(".", "-").replace("_", "-")

    @property
    def visibility_timeout_seconds(self) -> int:
        # AWS's advice for Lambda event sources: six times the function timeout.
        return 6 * self.timeout_seconds

    def event_pattern(self) -> dict[str, Any]:
        pattern: dict[str, Any] = {"source": [EVENT_SOURCE], "detail-type": list(self.event_types)}
        return pattern | {"detail": self.detail} if self.detail else pattern
