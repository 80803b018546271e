"""Faults a test injects into the fake's API, as the network makes them: the connection drops before the fake
handles the request (it never reached Stripe), or after (``answer_lost``: Stripe acted, the caller saw an error).
The SDK retries a dropped connection (with the same Idempotency-Key), so a call fails for its caller only once each
of its attempts has.

    with fake.failing("POST", "/v1/billing/meter_events", skip=1, times=3, answer_lost=True) as rule:
        ...
    rule.dropped   # connections dropped so far
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class FaultRule:
    method: str
    path: str
    skip: int  # matching requests let through first
    times: int  # then, matching requests dropped
    answer_lost: bool
    seen: int = 0
    dropped: int = 0

    def fires(self, method: str, path: str) -> bool:
        if (method, path) != (self.method, self.path):
            return False
        self.seen += 1
        if self.skip < self.seen <= self.skip + self.times:
            self.dropped += 1
            return True
        return False


@dataclass
class Faults:
    rules: list[FaultRule] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, method: str, path: str) -> FaultRule | None:
        """The rule that drops this request, if any."""
        with self.lock:
            return next((rule for rule in self.rules if rule.fires(method, path)), None)

    @contextmanager
    def failing(self, method: str, path: str, *, skip: int = 0, times: int = 1,
                answer_lost: bool = False) -> Iterator[FaultRule]:
        """Drop the connection of ``times`` requests to ``method path`` after the first ``skip``, while in the
        block."""
        rule = FaultRule(method, path, skip, times, answer_lost)
        with self.lock:
            self.rules.append(rule)
        try:
            yield rule
        finally:
            with self.lock:
                self.rules.remove(rule)
