"""``atrium dlq`` finds the DLQs of consumers of tasks and of topics (by their tags) as it finds those of
consumers of events: lists them with their depth, shows what a parked task or notification carries, and moves it
back to its queue (locally by hand, in AWS with a message move task)."""

import json
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from atrium.kernel import tasks as kernel_tasks
from atrium.kernel.config import settings
from atrium.kernel.tasks import Task
from atrium_local import dlq
from atrium_local.cli import app as cli
from atrium_local.provision import ConsumerQueues, Provisioned
from atrium_local.worker import Worker
from tests.support.tasks import FlakyTask, register

BODY = {"tenant_id": "ten_a", "message_id": "msg_1", "endpoint_id": "end_1", "attempt": 1}


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> FlakyTask:
    task = FlakyTask(failing=True)
    register(monkeypatch, task.spec())
    return task


@pytest.fixture
def aws(flaky: FlakyTask, aws_as_declared_now: Provisioned) -> Provisioned:
    """The moto world, provisioned after the test task queue is declared."""
    return aws_as_declared_now


@pytest.fixture
def local_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's local mode, pointed at this test's in-process moto instead of the dev stack's server."""
    monkeypatch.setattr("atrium_local.cli.environment.use_local_aws", lambda port: None)


def _depth(url: str) -> int:
    attributes = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def _task(aws: Provisioned) -> ConsumerQueues:
    return aws.consumer("tests.flaky_task")


def _feed(aws: Provisioned) -> ConsumerQueues:
    return aws.consumer("mail.record_feedback")


def _failed_task(aws: Provisioned, worker: Worker) -> None:
    kernel_tasks.send(_task(aws).spec.name, [Task(BODY, key="k1")])
    worker.drain()
    assert (_depth(_task(aws).queue_url), _depth(_task(aws).dlq_url)) == (0, 1)


def _rows(output: str) -> dict[str, tuple[str, str]]:
    return {name: (depth, dlq_name) for depth, name, dlq_name in (line.split("\t") for line in output.splitlines())}


@pytest.mark.usefixtures("local_stack")
def test_the_cli_lists_a_task_dlq_shows_the_task_and_redrives_it(aws: Provisioned, flaky: FlakyTask) -> None:
    worker, runner, name = Worker(aws, retry_delay_seconds=0), CliRunner(), "tests.flaky_task"
    _failed_task(aws, worker)

    listed = runner.invoke(cli, ["dlq", "list"])
    assert listed.exit_code == 0, listed.output
    rows = _rows(listed.stdout)
    assert sorted(rows) == sorted(c.spec.name for c in aws.consumers)
    assert rows[name] == ("1", "atrium-tests-flaky-task-dlq")

    shown = runner.invoke(cli, ["dlq", "list", name])
    (message,) = [json.loads(line) for line in shown.stdout.splitlines()]
    assert (message["tenant_id"], message["body"]) == ("ten_a", BODY)
    assert int(message["receive_count"]) >= flaky.spec().max_receive_count
    assert _depth(_task(aws).dlq_url) == 1  # listing left it in place

    flaky.failing = False
    redriven = runner.invoke(cli, ["dlq", "redrive", "atrium-tests-flaky-task-dlq"])
    assert redriven.exit_code == 0, redriven.output
    assert redriven.stdout == "moved 1 messages atrium-tests-flaky-task-dlq -> atrium-tests-flaky-task\n"
    assert _depth(_task(aws).dlq_url) == 0
    worker.drain()
    assert flaky.handled == [BODY]


@pytest.mark.usefixtures("local_stack")
def test_the_cli_lists_a_feed_dlq_shows_the_notification_and_redrives_it(aws: Provisioned) -> None:
    feed, runner = _feed(aws), CliRunner()
    # A notification the feed's handler cannot parse: it fails every receive, then is parked.
    boto3.client("sns", region_name=settings().region).publish(TopicArn=feed.topic_arn, Message="not an SES event")
    Worker(aws, retry_delay_seconds=0).drain()
    assert (_depth(feed.queue_url), _depth(feed.dlq_url)) == (0, 1)

    rows = _rows(runner.invoke(cli, ["dlq", "list"]).stdout)
    assert rows[feed.spec.name] == ("1", feed.dlq_url.rsplit("/", 1)[-1])
    (message,) = [json.loads(line) for line in runner.invoke(cli, ["dlq", "list", feed.spec.name]).stdout.splitlines()]
    assert message["topic"] == feed.topic_arn and message["message"] == "not an SES event"
    assert int(message["receive_count"]) >= feed.spec.max_receive_count

    redriven = runner.invoke(cli, ["dlq", "redrive", feed.spec.name])
    assert redriven.exit_code == 0, redriven.output
    assert (_depth(feed.queue_url), _depth(feed.dlq_url)) == (1, 0)


def test_on_aws_the_cli_redrives_a_task_dlq_with_a_message_move_task(aws: Provisioned,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _failed_task(aws, Worker(aws, retry_delay_seconds=0))
    sqs, moves = dlq.client(), list[dict[str, Any]]()

    def start_message_move_task(**kwargs: str) -> dict[str, str]:  # moto does not implement it
        moves.append(kwargs)
        return {"TaskHandle": "t1"}

    monkeypatch.setattr(sqs, "start_message_move_task", start_message_move_task)
    monkeypatch.setattr(dlq, "client", lambda: sqs)
    redriven = CliRunner().invoke(cli, ["dlq", "redrive", "tests.flaky_task", "--aws"])
    assert redriven.exit_code == 0, redriven.output
    dlq_arn = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=_task(aws).dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert moves == [{"SourceArn": dlq_arn, "DestinationArn": _task(aws).queue_arn}]
