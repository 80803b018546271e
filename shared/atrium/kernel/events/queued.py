"""What every queue-fed function declares (consumers and feeds): its name, grants, and how its queue
and DLQ behave."""

from dataclasses import dataclass, field

from atrium.kernel.grants import Grant


@dataclass(frozen=True, kw_only=True)
class QueuedSpec:
    name: str
    description: str
    grants: frozenset[Grant] = field(default_factory=frozenset)
    # Receives before a message moves to the DLQ.
    max_receive_count: int = 3
    batch_size: int = 10
    timeout_seconds: int = 30
    # Dependency groups (pyproject.toml) this function alone needs; each ships as a layer of its own.
    layers: frozenset[str] = field(default_factory=frozenset)

    @property
    def resource_name(self) -> str:
        """``identity.send_welcome_email`` -> ``identity-send-welcome-email``."""
        return self.name.replace(".", "-").replace("_", "-")

    @property
    def visibility_timeout_seconds(self) -> int:
        # AWS's advice for Lambda event sources: six times the function timeout.
        return 6 * self.timeout_seconds
