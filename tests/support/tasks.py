"""Test tasks: a task queue whose handler fails while told to, declared in place of the product's task queues
(before the moto world is provisioned, so its queue and DLQ exist)."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from atrium.kernel.tasks import TaskSpec
from tests.support.declarations import declare_only

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

    def spec(self) -> TaskSpec:
        return TaskSpec(name="tests.flaky_task", description="Handle a test task (test queue).", handler=self.handle,
                        timeout_seconds=5, max_receive_count=2)


def register(monkeypatch: pytest.MonkeyPatch, spec: TaskSpec) -> None:
    """Make ``spec`` the only declared task queue."""
    declare_only(monkeypatch, spec, listed_by="tasks", found_by="task", what="task queue")
