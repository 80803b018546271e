"""The retry schedule's arithmetic: jitter bounds, the end of the schedule, Retry-After's forms and limits."""

from datetime import UTC, datetime, timedelta

import pytest

from atrium.webhooks import retry_policy

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("attempt", "seconds"), list(enumerate(retry_policy.SCHEDULE_SECONDS, start=1)))
def test_each_delay_is_its_schedule_step_within_twenty_percent(attempt: int, seconds: int) -> None:
    assert retry_policy.next_delay(attempt, uniform=lambda low, high: low) == timedelta(seconds=seconds * 0.8)
    assert retry_policy.next_delay(attempt, uniform=lambda low, high: high) == timedelta(seconds=seconds * 1.2)
    drawn = retry_policy.next_delay(attempt)
    assert drawn is not None and seconds * 0.8 <= drawn.total_seconds() <= seconds * 1.2


def test_after_the_eighth_attempt_there_is_no_other() -> None:
    assert retry_policy.MAX_ATTEMPTS == 8 and retry_policy.next_delay(8) is None


@pytest.mark.parametrize(("status", "header", "wait"), [
    (429, "120", timedelta(seconds=120)),
    (503, "Mon, 02 Nov 2026 09:10:00 GMT", timedelta(minutes=10)),
    (429, "0", timedelta(seconds=1)),  # at least a second
    (503, str(7 * 24 * 3600), timedelta(hours=12)),  # at most 12 hours
    (503, "Mon, 02 Nov 2026 08:00:00 GMT", timedelta(seconds=1)),  # a date in the past: soon
    (500, "120", None),  # only 429 and 503 ask to wait
    (429, "soon", None),  # unreadable: the schedule decides
    (429, None, None),
])
def test_retry_after(status: int, header: str | None, wait: timedelta | None) -> None:
    assert retry_policy.retry_after(status, header, NOW) == wait


@pytest.mark.parametrize(("status", "ok"), [(200, True), (204, True), (299, True), (199, False), (301, False),
                                             (410, False), (500, False), (None, False)])
def test_only_2xx_succeeds(status: int | None, ok: bool) -> None:
    assert retry_policy.succeeded(status) is ok
