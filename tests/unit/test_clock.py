from datetime import UTC, datetime

from atrium.kernel import clock


def test_frozen_clock_can_advance_and_restores() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with clock.frozen(start) as advance:
        assert clock.now() == start
        advance(90)
        assert clock.epoch() == int(start.timestamp()) + 90
        assert clock.iso(clock.now()) == "2026-01-01T00:01:30.000Z"
    assert clock.now().year >= 2026 and clock.now() != start
