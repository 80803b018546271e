import pytest

from atrium import manifest
from atrium.kernel.events.schedules import ScheduleSpec, schedule_event


def _spec(expression: str) -> ScheduleSpec:
    return ScheduleSpec("ctx.job", expression, lambda at: {}, "test")


@pytest.mark.parametrize(("expression", "seconds"), [("rate(1 minute)", 60), ("rate(5 minutes)", 300),
                                                     ("rate(7 days)", 604800), ("rate(2 hours)", 7200)])
def test_rate_expressions_give_the_local_timer_period(expression: str, seconds: int) -> None:
    assert _spec(expression).every_seconds() == seconds


def test_schedule_event_is_what_the_scheduler_sends() -> None:
    spec = _spec("rate(1 day)")
    assert schedule_event(spec, "2026-01-01T00:00:00Z") == {"schedule": "ctx.job",
                                                             "scheduled_time": "2026-01-01T00:00:00Z"}


def test_every_declared_schedule_has_a_valid_rate() -> None:
    for spec in manifest.schedules():
        assert spec.every_seconds() > 0
