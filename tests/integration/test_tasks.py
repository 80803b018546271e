"""Task queues on moto: ``tasks.send`` puts a task on its consumer's queue now, delays it with SQS up to 15 minutes, and
schedules it (a one-time EventBridge Scheduler schedule) beyond; the local worker fires a due schedule as
Scheduler would, and the task consumer runs the body."""

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from moto.core.utils import unix_time_millis

from atrium.kernel import clock, tasks
from atrium.kernel.config import settings
from atrium.kernel.tasks import MAX_QUEUE_DELAY_SECONDS, Task
from atrium_local.provision import ConsumerQueues, Provisioned
from atrium_local.worker import Worker
from tests.support.tasks import FlakyTask, register

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BODY = {"tenant_id": "ten_a", "message_id": "msg_1", "endpoint_id": "end_1", "attempt": 2}


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> FlakyTask:
    task = FlakyTask()
    register(monkeypatch, task.spec())
    return task


@pytest.fixture
def aws(flaky: FlakyTask, aws_as_declared_now: Provisioned) -> Provisioned:
    """The moto world, provisioned after the test task queue is declared."""
    return aws_as_declared_now


@pytest.fixture
def queue(aws: Provisioned, flaky: FlakyTask) -> ConsumerQueues:
    return aws.consumer(flaky.spec().name)


@pytest.fixture
def consumer(queue: ConsumerQueues) -> str:
    return queue.spec.name


def _sqs() -> Any:
    return boto3.client("sqs", region_name=settings().region)


def _scheduler() -> Any:
    return boto3.client("scheduler", region_name=settings().region)


def _received(url: str) -> list[dict[str, Any]]:
    messages = _sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def _schedules() -> list[dict[str, Any]]:
    group = settings().task_schedule_group
    return [_scheduler().get_schedule(GroupName=group, Name=s["Name"])
            for s in _scheduler().list_schedules(GroupName=group)["Schedules"]]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The SendMessageBatch requests ``send`` makes (moto keeps no DelaySeconds to read back)."""
    client, sent = tasks._sqs(), list[dict[str, Any]]()
    original = client.send_message_batch

    def send_message_batch(**kwargs: Any) -> Any:
        sent.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(client, "send_message_batch", send_message_batch)
    return sent


def test_a_task_due_now_is_on_its_queue(consumer: str, queue: ConsumerQueues, batches: list[dict[str, Any]]) -> None:
    with clock.frozen(NOW):
        tasks.send(consumer, [Task(BODY, key="k1")])
    assert [entry["DelaySeconds"] for batch in batches for entry in batch["Entries"]] == [0]
    assert _received(queue.queue_url) == [BODY]
    assert _schedules() == []


def test_many_tasks_go_in_batches_of_ten(consumer: str, queue: ConsumerQueues, batches: list[dict[str, Any]]) -> None:
    bodies = [BODY | {"attempt": n} for n in range(23)]
    with clock.frozen(NOW):
        tasks.send(consumer, [Task(body, key=f"k{n}") for n, body in enumerate(bodies)])
    assert [len(batch["Entries"]) for batch in batches] == [10, 10, 3]
    assert sorted(json.loads(e["MessageBody"])["attempt"] for b in batches for e in b["Entries"]) == list(range(23))


def test_a_task_due_in_five_minutes_is_delayed_by_sqs(consumer: str, queue: ConsumerQueues,
                                                      batches: list[dict[str, Any]],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with clock.frozen(NOW):
        tasks.send(consumer, [Task(BODY, key="k1")], at=NOW + timedelta(minutes=5))
    (batch,) = batches
    assert [entry["DelaySeconds"] for entry in batch["Entries"]] == [300]
    attributes = _sqs().get_queue_attributes(QueueUrl=queue.queue_url,
                                             AttributeNames=["ApproximateNumberOfMessagesDelayed"])["Attributes"]
    assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"
    assert _received(queue.queue_url) == []  # not yet
    assert _schedules() == []
    # Five minutes later (by moto's own clock), the task is there.
    monkeypatch.setattr("moto.sqs.models.unix_time_millis", lambda: unix_time_millis() + 301_000)
    assert _received(queue.queue_url) == [BODY]


def test_sqs_delays_up_to_fifteen_minutes_and_later_tasks_are_scheduled(
        consumer: str, queue: ConsumerQueues, batches: list[dict[str, Any]]) -> None:
    with clock.frozen(NOW):
        tasks.send(consumer, [Task(BODY, key="k1")], at=NOW + timedelta(seconds=MAX_QUEUE_DELAY_SECONDS))
        tasks.send(consumer, [Task(BODY, key="k2")], at=NOW + timedelta(seconds=MAX_QUEUE_DELAY_SECONDS + 1))
        tasks.send(consumer, [Task(BODY, key="k3")], at=NOW - timedelta(minutes=1))  # overdue: now
    assert [entry["DelaySeconds"] for batch in batches for entry in batch["Entries"]] == [MAX_QUEUE_DELAY_SECONDS, 0]
    assert [s["Name"] for s in _schedules()] == [tasks.schedule_name("k2")]


def test_a_task_due_in_two_hours_is_a_one_time_schedule_sent_once(consumer: str, queue: ConsumerQueues,
                                                                  batches: list[dict[str, Any]]) -> None:
    due = NOW + timedelta(hours=2)
    with clock.frozen(NOW):
        tasks.send(consumer, [Task(BODY, key="webhook:msg_1:end_1:2")], at=due)
        # The same task again (a retried handler): no error, no second schedule.
        tasks.send(consumer, [Task(BODY, key="webhook:msg_1:end_1:2")], at=due)
    (schedule,) = _schedules()
    assert schedule["Name"] == tasks.schedule_name("webhook:msg_1:end_1:2")
    assert schedule["GroupName"] == settings().task_schedule_group
    assert schedule["ScheduleExpression"] == "at(2026-03-02T11:30:00)"
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = schedule["Target"]
    assert target["Arn"] == queue.queue_arn
    assert target["RoleArn"] == settings().task_scheduler_role_arn
    assert json.loads(target["Input"]) == BODY
    assert batches == [] and _received(queue.queue_url) == []


def test_a_due_time_in_another_zone_is_scheduled_in_utc(consumer: str, queue: ConsumerQueues) -> None:
    with clock.frozen(NOW):
        tasks.send(consumer, [Task(BODY, key="k1")],
                   at=datetime(2026, 3, 2, 13, 0, tzinfo=timezone(timedelta(hours=1))))
    (schedule,) = _schedules()
    assert schedule["ScheduleExpression"] == "at(2026-03-02T12:00:00)"


def test_the_worker_fires_a_schedule_only_when_it_is_due(aws: Provisioned, consumer: str, queue: ConsumerQueues,
                                                         flaky: FlakyTask) -> None:
    due = NOW + timedelta(hours=2)
    worker = Worker(aws, retry_delay_seconds=0)
    with clock.frozen(NOW) as advance:
        tasks.send(consumer, [Task(BODY, key="k1")], at=due)
        advance(2 * 3600 - 1)
        assert worker.fire_due_tasks() == 0
        assert len(_schedules()) == 1 and _received(queue.queue_url) == []
        advance(1)
        assert worker.fire_due_tasks() == 1
        assert _schedules() == []  # deleted after it ran, as ActionAfterCompletion DELETE does
        assert worker.fire_due_tasks() == 0
        assert worker.consume(queue) == 1
    assert flaky.handled == [BODY]
