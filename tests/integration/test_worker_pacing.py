"""The local worker's loop sleeps while there is no work, yet misses none: a ring (moto's server rings on writes)
wakes it from the longest sleep, and a delayed task fires when it falls due though nothing rang."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from atrium.kernel import clock, tasks
from atrium.kernel.tasks import MAX_QUEUE_DELAY_SECONDS, Task
from atrium_local.alarm import Alarm, Backoff
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.support.tasks import FlakyTask, register

BODY = {"tenant_id": "ten_a", "message_id": "msg_1", "endpoint_id": "end_1", "attempt": 1}
AN_HOUR = 3600.0


class IdleAfter(Backoff):
    """Sleeps an hour whenever a look finds nothing, and says when the worker starts to: only a ring or a due
    time can wake it then."""

    def __init__(self) -> None:
        super().__init__(first=AN_HOUR, cap=AN_HOUR)
        self.idle = threading.Event()

    def after(self, work: int) -> float:
        wait = super().after(work)
        if wait:
            self.idle.set()
        return wait


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> FlakyTask:
    task = FlakyTask()
    register(monkeypatch, task.spec())
    return task


@pytest.fixture
def worker(flaky: FlakyTask, aws_as_declared_now: Provisioned) -> Worker:
    return Worker(aws_as_declared_now, retry_delay_seconds=0)


@contextmanager
def running(worker: Worker, alarm: Alarm) -> Iterator[IdleAfter]:
    """The worker's loop on a thread of its own, as the local stack runs it."""
    backoff = IdleAfter()
    thread = threading.Thread(target=worker.run, args=(alarm,), kwargs={"backoff": backoff}, daemon=True)
    thread.start()
    try:
        yield backoff
    finally:
        alarm.stop()
        thread.join(10)
        assert not thread.is_alive(), "the worker did not stop with its alarm"


def _eventually(check: Callable[[], bool], timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)
    return check()


def test_a_ring_wakes_the_idle_worker(worker: Worker, flaky: FlakyTask) -> None:
    alarm = Alarm()
    with running(worker, alarm) as backoff:
        assert backoff.idle.wait(10)
        tasks.send(flaky.spec().name, [Task(BODY, key="k1")])
        alarm.ring()  # as moto's server does after the SendMessageBatch
        assert _eventually(lambda: flaky.handled == [BODY])


def test_a_write_while_the_worker_looks_is_looked_for_next(worker: Worker, monkeypatch: pytest.MonkeyPatch) -> None:
    alarm, looks = Alarm(), list[int]()

    def pump() -> int:
        looks.append(len(looks))
        if len(looks) == 1:
            alarm.ring()  # a write lands while the worker looks: the look may have missed it
        return 0

    monkeypatch.setattr(worker, "pump", pump)
    with running(worker, alarm):
        assert _eventually(lambda: len(looks) == 2)


def test_a_delayed_task_fires_when_due_though_nothing_rings_then(worker: Worker, flaky: FlakyTask) -> None:
    alarm = Alarm()
    with running(worker, alarm) as backoff:
        assert backoff.idle.wait(10)
        due = datetime.now(UTC) + timedelta(seconds=2)
        with clock.frozen(due - timedelta(seconds=MAX_QUEUE_DELAY_SECONDS + 1)):  # far enough ahead to be scheduled
            tasks.send(flaky.spec().name, [Task(BODY, key="k1")], at=due)
        alarm.ring()  # as moto's server does for the new schedule; the next ring is the worker's own business
        assert _eventually(lambda: flaky.handled == [BODY], timeout=10)
