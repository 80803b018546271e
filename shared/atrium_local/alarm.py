"""When the local worker looks for work next, so that an idle stack stays idle.

The worker sleeps until its ``Alarm`` rings: at once when moto handled a write (``atrium_local.wakeups``), or at
the time a delayed message becomes visible. Between rings it still looks now and then, ever less often while it
finds nothing (``Backoff``): a safety net for work nothing rang for.
"""

import heapq
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class Alarm:
    """Rings at given times (at once by default) until stopped; thread-safe."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._condition = threading.Condition()
        self._rings: list[float] = []  # a heap of the times to ring at
        self._stopped = False

    def ring(self, after: float = 0.0) -> None:
        with self._condition:
            heapq.heappush(self._rings, self._now() + after)
            self._condition.notify_all()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def ringing(self) -> bool:
        """A ring is due: there may be work to look for now."""
        with self._condition:
            return bool(self._rings) and self._rings[0] <= self._now()

    def silence(self) -> None:
        """Forget the rings due by now. Call it before looking for work, not after: a write while the worker
        looks rings anew, and the next ``wait`` returns at once."""
        with self._condition:
            now = self._now()
            while self._rings and self._rings[0] <= now:
                heapq.heappop(self._rings)

    def wait(self, timeout: float) -> None:
        """Until a ring is due, the alarm is stopped, or ``timeout`` seconds pass."""
        with self._condition:
            deadline = self._now() + timeout
            while not self._stopped:
                until = min(deadline, self._rings[0] if self._rings else deadline) - self._now()
                if until <= 0:
                    return
                self._condition.wait(until)


@dataclass
class Backoff:
    """How long to wait after a look for work: not at all after one that found some, then twice as long each
    time one finds none, from ``first`` to ``cap`` seconds."""

    first: float = 1.0
    cap: float = 16.0
    _wait: float = 0.0

    def after(self, work: int) -> float:
        self._wait = 0.0 if work else min(self.cap, max(self.first, 2 * self._wait))
        return self._wait
