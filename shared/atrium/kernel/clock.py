"""An injectable clock: code asks ``now()``; tests replace the source with ``frozen``."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    return _source()


def epoch() -> int:
    return int(now().timestamp())


def iso(value: datetime) -> str:
    """ISO-8601 UTC with a ``Z`` suffix, millisecond precision."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def run_ahead(seconds: float) -> None:
    """Run the clock ``seconds`` ahead of real time from now on, ``0`` for real time again: the local stack's clock
    control (``PUT /_local/clock``), to see a trial or a grace period end without waiting for it."""
    global _source
    ahead = timedelta(seconds=seconds)
    _source = lambda: datetime.now(UTC) + ahead  # noqa: E731


@contextmanager
def frozen(at: datetime) -> Iterator[Callable[[float], None]]:
    """Pin the clock to ``at``; yields ``advance(seconds)`` to move it forward."""
    global _source
    previous, current = _source, [at]

    def advance(seconds: float) -> None:
        current[0] = current[0] + timedelta(seconds=seconds)

    _source = lambda: current[0]  # noqa: E731
    try:
        yield advance
    finally:
        _source = previous
