"""Test tasks: a consumer of tasks whose handler fails while told to, declared in place of the product's consumers
of tasks (before the moto world is provisioned, so its queue and DLQ exist)."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from atrium import manifest
from atrium.kernel.consumers import ConsumerSpec, TaskHandler, Tasks

FLAKY_ERROR = "the receiver is down"


@dataclass
class FlakyTask:
    failing: bool = False
    handled: list[dict[str, Any]] = field(default_factory=list)

    def handle(self, bodies: list[dict[str, Any]]) -> set[int]:
        """Fails every task of the batch while ``failing`` (a raise fails the whole batch, as in Lambda)."""
        if self.failing:
            raise RuntimeError(FLAKY_ERROR)
        self.handled.extend(bodies)
        return set()

    def spec(self) -> ConsumerSpec[TaskHandler]:
        return ConsumerSpec(name="tests.flaky_task", description="Handle a test task (test queue).",
                            source=Tasks(), handler=self.handle, timeout_seconds=5, max_receive_count=2)


def register(monkeypatch: pytest.MonkeyPatch, spec: ConsumerSpec[TaskHandler]) -> None:
    """Make ``spec`` the only declared consumer of tasks (the product's consumers of events and topics stay)."""
    declared = [*(other for other in manifest.consumers() if not isinstance(other.source, Tasks)), spec]
    monkeypatch.setattr(manifest, "consumers", lambda: declared)

    def find(name: str) -> ConsumerSpec[Any]:
        for consumer in declared:
            if consumer.name == name:
                return consumer
        raise LookupError(f"no consumer {name}")

    monkeypatch.setattr(manifest, "consumer", find)
