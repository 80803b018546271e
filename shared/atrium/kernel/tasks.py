"""Tasks: work a context hands to its own queue, now or at a later time (a webhook delivery attempt, for
one). Each task queue is declared once, in its context's ``tasks.py`` (``TASKS``); CDK makes the queue,
its DLQ and the function, and the local stack provisions the same in moto.

``send`` puts task bodies on the queue. SQS delays a message by at most 15 minutes, so a task due later
becomes a one-time EventBridge Scheduler schedule that puts the body on the queue when it is due and then
deletes itself; the body a consumer receives is the same either way.
"""

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.events.queued import QueuedSpec

# The tag that names a task queue and its DLQ (CDK and the local stack set it).
TASK_TAG = "atrium:task"
# SQS's maximum DelaySeconds; anything due later is scheduled.
MAX_QUEUE_DELAY_SECONDS = 900
_SEND_BATCH = 10  # SendMessageBatch's limit


@dataclass(frozen=True, kw_only=True)
class TaskSpec(QueuedSpec):
    # A batch of task bodies (each names its ``tenant_id``) -> the positions of those that failed and go back
    # to the queue. Handled as a batch so independent tasks (HTTP calls, say) can run concurrently. Must be
    # idempotent: SQS delivers at least once.
    handler: Callable[[list[dict[str, Any]]], set[int]]
    # Whether each body names the tenant it runs in (``tenant_id``); False for work that finds its tenant itself
    # (a password reset request names only an email address).
    tenant_bound: bool = True

    def queue_name(self) -> str:
        return f"{settings().task_queue_prefix}{self.resource_name}"


@dataclass(frozen=True)
class Task:
    body: dict[str, Any]
    # Names a delayed task's schedule, so sending the same task twice schedules it once.
    key: str


@lru_cache(maxsize=1)
def _sqs() -> Any:
    return boto3.client("sqs", region_name=settings().region)


@lru_cache(maxsize=1)
def _scheduler() -> Any:
    return boto3.client("scheduler", region_name=settings().region)


@lru_cache(maxsize=32)
def queue_address(queue_name: str) -> tuple[str, str]:
    """The queue's URL and ARN, looked up once per process."""
    url = _sqs().get_queue_url(QueueName=queue_name)["QueueUrl"]
    arn = _sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def schedule_name(key: str) -> str:
    # Names allow [0-9a-zA-Z-_.]{1,64}: a digest of the key fits any key.
    return "task-" + hashlib.sha256(key.encode()).hexdigest()[:48]


def send(spec: TaskSpec, tasks: Sequence[Task], *, at: datetime | None = None) -> None:
    """Queue ``tasks`` to run now, or at ``at`` (SQS delay up to 15 minutes, a schedule beyond)."""
    delay = 0 if at is None else max(0, math.ceil((at - clock.now()).total_seconds()))
    url, arn = queue_address(spec.queue_name())
    if delay > MAX_QUEUE_DELAY_SECONDS:
        assert at is not None
        for task in tasks:
            _schedule(arn, task, at)
        return
    for start in range(0, len(tasks), _SEND_BATCH):
        batch = tasks[start:start + _SEND_BATCH]
        entries = [{"Id": str(index), "MessageBody": json.dumps(task.body), "DelaySeconds": delay}
                   for index, task in enumerate(batch)]
        failed = _sqs().send_message_batch(QueueUrl=url, Entries=entries).get("Failed", [])
        if failed:
            raise RuntimeError(f"SQS refused {len(failed)} of {len(entries)} tasks: {failed[0].get('Message')}")


def _schedule(queue_arn: str, task: Task, at: datetime) -> None:
    config = settings()
    try:
        _scheduler().create_schedule(
            Name=schedule_name(task.key), GroupName=config.task_schedule_group,
            ScheduleExpression=f"at({at.astimezone(UTC):%Y-%m-%dT%H:%M:%S})", ScheduleExpressionTimezone="UTC",
            FlexibleTimeWindow={"Mode": "OFF"}, ActionAfterCompletion="DELETE",
            Target={"Arn": queue_arn, "RoleArn": config.task_scheduler_role_arn, "Input": json.dumps(task.body)})
    except _scheduler().exceptions.ConflictException:
        pass  # this task is already scheduled


def due_schedule_time(expression: str) -> datetime | None:
    """The time of a one-time schedule's ``at(...)`` expression (UTC), else None."""
    if not (expression.startswith("at(") and expression.endswith(")")):
        return None
    return datetime.fromisoformat(expression[3:-1] + "+00:00")
