"""The local worker's alarm and backoff: it looks for work at once after a write, at the time a delayed message
becomes visible, and otherwise less and less often; a ring while it looks is never lost."""

import threading
from collections.abc import Callable

from atrium_local.alarm import Alarm, Backoff


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_backoff_doubles_to_its_cap_and_starts_over_after_work() -> None:
    backoff = Backoff(first=0.25, cap=2.0)
    assert [backoff.after(0) for _ in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    assert backoff.after(3) == 0.0
    assert backoff.after(0) == 0.25


def test_a_ring_is_due_until_silenced() -> None:
    alarm = Alarm(FakeClock())
    assert not alarm.ringing()
    alarm.ring()
    assert alarm.ringing()
    alarm.silence()
    assert not alarm.ringing()


def test_a_ring_while_the_worker_looks_is_kept_for_its_next_wait() -> None:
    alarm = Alarm(FakeClock())
    alarm.ring()
    alarm.silence()  # the worker starts looking
    alarm.ring()  # a write lands while it looks
    assert alarm.ringing()
    _assert_returns(lambda: alarm.wait(3600))


def test_a_delayed_ring_is_due_at_its_time() -> None:
    clock = FakeClock()
    alarm = Alarm(clock)
    alarm.ring(after=30)
    alarm.silence()  # not due yet: kept
    assert not alarm.ringing()
    clock.now += 30
    assert alarm.ringing()
    alarm.silence()
    assert not alarm.ringing()


def test_a_wait_ends_when_rung_from_another_thread() -> None:
    alarm = Alarm()
    threading.Timer(0.05, alarm.ring).start()
    _assert_returns(lambda: alarm.wait(3600))


def test_stopping_the_alarm_ends_the_wait() -> None:
    alarm = Alarm()
    threading.Timer(0.05, alarm.stop).start()
    _assert_returns(lambda: alarm.wait(3600))
    assert alarm.stopped


def _assert_returns(wait: Callable[[], None]) -> None:
    """``wait`` returns (checked against a generous deadline, not a time)."""
    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
