"""Schedules, declared once in a context's ``schedules.py``; EventBridge Scheduler runs them in
AWS, ``atrium schedules run NAME`` (or the worker's timer) runs them locally."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atrium.kernel.grants import Grant


@dataclass(frozen=True)
class MetricAlarm:
    """An alarm on a metric the job puts (``kernel.observability.metrics``, dimensioned by the job): any value above
    0 alarms; no value does not."""

    metric: str
    description: str


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    expression: str
    handler: Callable[[datetime], dict[str, Any]]
    description: str
    grants: frozenset[Grant] = field(default_factory=frozenset)
    timeout_seconds: int = 60
    # Also run once when the stack is deployed (and when the local stack starts).
    run_on_deploy: bool = False
    alarms: tuple[MetricAlarm, ...] = ()

    @property
    def resource_name(self) -> str:
        return self.name.replace(".", "-").replace("_", "-")

    def every_seconds(self) -> int:
        """The period of a ``rate(N unit)`` expression (the local timer uses it)."""
        amount, unit = self.expression.removeprefix("rate(").removesuffix(")").split()
        return int(amount) * {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600,
                              "day": 86400, "days": 86400}[unit]


def schedule_event(spec: ScheduleSpec, scheduled_time: str) -> dict[str, str]:
    """The payload EventBridge Scheduler sends (the infra sets it as the target input)."""
    return {"schedule": spec.name, "scheduled_time": scheduled_time}
