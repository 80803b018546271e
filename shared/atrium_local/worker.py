"""The local worker: moto's table stream -> relay -> moto's bus -> queues -> consumers, whatever fills a
consumer's queue (the bus's rules, moto's SNS topics, tasks sent to it), with delayed tasks' one-time schedules
fired when the clock (``kernel.clock``, injectable) reaches them.

It looks for work when its alarm rings (moto rings it on writes: ``atrium_local.wakeups``), when a delayed task or
a schedule falls due, and otherwise less and less often while it finds none (``atrium_local.alarm``).

It hands every handler the event shape AWS would: DynamoDB stream records to the relay, SQS
batches to consumers. A failed message is made visible again after ``retry_delay_seconds``
(AWS waits out the visibility timeout) and moves to its DLQ after the declared receives.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from atrium import manifest
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.events.relay import relay
from atrium.kernel.events.schedules import schedule_event
from atrium.kernel.observability import logger
from atrium.kernel.runtime.consumer import consumer_handler
from atrium.kernel.runtime.schedule import schedule_handler
from atrium.kernel.tasks import due_schedule_time
from atrium_local import event_log
from atrium_local.alarm import Alarm, Backoff
from atrium_local.environment import aws_client
from atrium_local.lambda_context import LocalContext
from atrium_local.provision import ConsumerQueues, Provisioned


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
        "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": settings().region,
    } for m in messages]}


@dataclass
class Worker:
    provisioned: Provisioned
    retry_delay_seconds: int = 1
    _iterators: dict[str, str] = field(default_factory=dict)
    # When the earliest delayed task still scheduled falls due (as of the last look).
    _next_task: datetime | None = None

    def __post_init__(self) -> None:
        self._streams, self._sqs, self._events = aws_client("dynamodbstreams"), aws_client("sqs"), aws_client("events")
        self._handlers = {c.spec.name: consumer_handler(c.spec) for c in self.provisioned.consumers}
        self._scheduler = aws_client("scheduler")

    def relay_stream(self) -> int:
        """Read new stream records and run the relay on them; returns records read."""
        description = self._streams.describe_stream(StreamArn=self.provisioned.stream_arn)["StreamDescription"]
        count = 0
        for shard in description["Shards"]:
            shard_id = shard["ShardId"]
            iterator = self._iterators.get(shard_id) or self._streams.get_shard_iterator(
                StreamArn=self.provisioned.stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON",
            )["ShardIterator"]
            response = self._streams.get_records(ShardIterator=iterator)
            records = [r | {"eventSourceARN": self.provisioned.stream_arn} for r in response["Records"]]
            count += len(records)  # failed records are work still to do: drain() must not settle on them
            if records:
                failures = relay({"Records": records}, self._events)["batchItemFailures"]
                event_log.relayed(records, failures)
                if failures:
                    # As Lambda does: retry the shard from the first failed record next time.
                    failed = failures[0]["itemIdentifier"]
                    self._iterators[shard_id] = self._streams.get_shard_iterator(
                        StreamArn=self.provisioned.stream_arn, ShardId=shard_id,
                        ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=failed)["ShardIterator"]
                    continue
            self._iterators[shard_id] = response["NextShardIterator"]
        return count

    def fire_due_tasks(self) -> int:
        """Send each delayed task whose time has come to its queue and delete its schedule, as EventBridge
        Scheduler does (``ActionAfterCompletion: DELETE``); returns tasks sent."""
        group, fired, later = settings().task_schedule_group, 0, []
        urls = {c.queue_arn: c.queue_url for c in self.provisioned.consumers}
        for summary in self._scheduler.list_schedules(GroupName=group).get("Schedules", []):
            schedule = self._scheduler.get_schedule(GroupName=group, Name=summary["Name"])
            due = due_schedule_time(schedule["ScheduleExpression"])
            if due is None or due > clock.now():
                later += [due] if due else []
                continue
            target = schedule["Target"]
            self._sqs.send_message(QueueUrl=urls[target["Arn"]], MessageBody=target["Input"])
            self._scheduler.delete_schedule(GroupName=group, Name=summary["Name"])
            fired += 1
        self._next_task = min(later, default=None)
        return fired

    def consume(self, queues: ConsumerQueues) -> int:
        """Run one batch of a consumer's queue; returns messages handled."""
        messages = self._sqs.receive_message(
            QueueUrl=queues.queue_url, MaxNumberOfMessages=queues.spec.batch_size, AttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        context = LocalContext(queues.spec.name, queues.spec.timeout_seconds)
        try:
            result = self._handlers[queues.spec.name](sqs_event(messages, queues.queue_arn), context)  # type: ignore[arg-type]
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:  # as in Lambda, a failed invocation returns the whole batch to the queue
            logger.exception("consumer failed", extra={"consumer": queues.spec.name})
            failed = {m["MessageId"] for m in messages}
        event_log.consumed(queues.spec, messages, failed)
        for message in messages:
            if message["MessageId"] in failed:
                self._sqs.change_message_visibility(QueueUrl=queues.queue_url, ReceiptHandle=message["ReceiptHandle"],
                                                    VisibilityTimeout=self.retry_delay_seconds)
            else:
                self._sqs.delete_message(QueueUrl=queues.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def pump(self) -> int:
        """One pass over the stream and every queue; returns how much work it found."""
        work = _step(self.relay_stream) + _step(self.fire_due_tasks)
        for queues in self.provisioned.consumers:
            work += _step(partial(self.consume, queues))
        return work

    def drain(self, *, timeout: float = 30.0, settle_passes: int = 2) -> None:
        """Pump until nothing moves for ``settle_passes`` passes (tests and scripts)."""
        deadline, idle = time.monotonic() + timeout, 0
        while idle < settle_passes:
            if time.monotonic() > deadline:
                raise TimeoutError("the worker did not settle")
            idle = idle + 1 if self.pump() == 0 else 0

    def run(self, alarm: Alarm, *, schedules: bool = False, backoff: Backoff | None = None) -> None:
        """Look for work until ``alarm`` is stopped: again at once while there is some, else when the alarm rings,
        a delayed task or a schedule falls due, or ``backoff`` says."""
        backoff = backoff or Backoff()
        next_run = {spec.name: time.monotonic() + spec.every_seconds() for spec in manifest.schedules()} \
            if schedules else {}
        while not alarm.stopped:
            alarm.silence()
            try:
                work = self.pump()
                self._fire_due(next_run)
            except Exception:  # the dev stack keeps running; the error is in the log
                logger.exception("worker pass failed")
                work = 0
            alarm.wait(min(backoff.after(work), self._until_due(next_run)))

    def _until_due(self, next_run: dict[str, float]) -> float:
        """Seconds until the next delayed task or schedule falls due (infinite: none)."""
        task = (self._next_task - clock.now()).total_seconds() if self._next_task else float("inf")
        return max(0.0, min([task, *(at - time.monotonic() for at in next_run.values())]))

    def _fire_due(self, next_run: dict[str, float]) -> None:
        for name, at in next_run.items():
            if time.monotonic() >= at:
                next_run[name] = time.monotonic() + manifest.schedule(name).every_seconds()
                run_schedule(name)


def _step(step: Callable[[], int]) -> int:
    """Run one poll. One that fails (an AWS call failed past botocore's retries) moved nothing, so
    the next pass polls again, as Lambda's pollers do; it counts as work so drain() does not settle."""
    try:
        return step()
    except Exception:
        logger.exception("worker step failed")
        return 1


def run_schedule(name: str) -> dict[str, Any]:
    """Run a scheduled job once with the payload EventBridge Scheduler would send."""
    spec = manifest.schedule(name)
    event = schedule_event(spec, clock.iso(clock.now()))
    return schedule_handler(spec)(event, LocalContext(spec.name, spec.timeout_seconds))  # type: ignore[arg-type]
