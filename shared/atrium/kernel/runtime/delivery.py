"""Which receive of its message a consumer's handler runs in: after the last one, SQS parks the message in the
DLQ (a job marks itself failed then)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Delivery:
    receive_count: int
    max_receive_count: int

    @property
    def is_last(self) -> bool:
        return self.receive_count >= self.max_receive_count


_delivery: ContextVar[Delivery | None] = ContextVar("atrium_delivery", default=None)


def current_delivery() -> Delivery:
    """The delivery of the event being handled (only inside the handler of a consumer of events)."""
    delivery = _delivery.get()
    if delivery is None:
        raise RuntimeError("no message is being handled")
    return delivery


@contextmanager
def delivering(delivery: Delivery) -> Iterator[None]:
    token = _delivery.set(delivery)
    try:
        yield
    finally:
        _delivery.reset(token)
