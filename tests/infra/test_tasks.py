"""Task queues: per consumer of tasks a named queue + alarmed DLQ read by its function; one schedule group for
delayed tasks and one role its schedules send as; every function can find both; TASKS_SEND reaches exactly
them."""

import json
from typing import Any

from atrium import manifest
from atrium.kernel.consumers import CONSUMER_TAG, Tasks
from atrium.kernel.grants import Grant
from infra.paths import CDK_JSON
from tests.infra.test_events import mapping_of
from tests.infra.test_mail import _alarmed_queues
from tests.infra.test_permissions import as_list, statements

TASKS = [spec for spec in manifest.consumers() if isinstance(spec.source, Tasks)]
STAGE = json.loads(CDK_JSON.read_text())["context"]["atrium:stage"]
PREFIX = f"atrium-{STAGE}-"
GROUP = f"atrium-{STAGE}-tasks"


def _tag(resource: Any, key: str) -> str | None:
    return next((tag["Value"] for tag in resource.properties.get("Tags", []) if tag["Key"] == key), None)


def _queue_of(synthesized: Any, name: str) -> Any:
    mapping = mapping_of(synthesized, synthesized.functions("ATRIUM_CONSUMER")[name])
    queue = synthesized.resolve(mapping.stack, mapping.properties["EventSourceArn"])
    assert queue.type == "AWS::SQS::Queue"
    return queue


def _scheduler_role(synthesized: Any) -> Any:
    (role,) = [r for r in synthesized.resources("AWS::IAM::Role")
               if r.properties["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
               == {"Service": "scheduler.amazonaws.com"} and "delayed tasks" in r.properties.get("Description", "")]
    return role


def test_manifest_declares_tasks() -> None:
    assert TASKS, "atrium.manifest.consumers() has no consumer of tasks: nothing to test"


def test_every_task_reads_its_own_named_queue_with_an_alarmed_dlq(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_CONSUMER")
    named = [q for q in synthesized.resources("AWS::SQS::Queue") if "QueueName" in q.properties
             and q.properties["QueueName"].startswith(PREFIX) and "RedrivePolicy" in q.properties]
    assert len(named) == len(TASKS)
    for spec in TASKS:
        function = functions[spec.name]
        assert function.properties["Handler"] == "consumer.handler"
        assert function.properties["Timeout"] == spec.timeout_seconds
        mapping = mapping_of(synthesized, function)
        assert mapping.properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping.properties["BatchSize"] == spec.batch_size
        queue = _queue_of(synthesized, spec.name)
        assert queue.properties["QueueName"] == f"{PREFIX}{spec.resource_name}"
        assert queue.properties["VisibilityTimeout"] == spec.visibility_timeout_seconds
        redrive = queue.properties["RedrivePolicy"]
        assert redrive["maxReceiveCount"] == spec.max_receive_count
        dlq = synthesized.resolve(queue.stack, redrive["deadLetterTargetArn"])
        assert dlq.properties["QueueName"] == f"{PREFIX}{spec.resource_name}-dlq"
        assert dlq.properties["MessageRetentionPeriod"] == 14 * 24 * 3600
        assert _tag(queue, CONSUMER_TAG) == _tag(dlq, CONSUMER_TAG) == spec.name  # `atrium dlq` finds them so
        assert dlq.logical_id in _alarmed_queues(synthesized)


def test_every_function_can_find_the_task_queues_the_group_and_the_scheduler_role(synthesized: Any) -> None:
    (group,) = synthesized.resources("AWS::Scheduler::ScheduleGroup")
    assert group.properties["Name"] == GROUP
    role = _scheduler_role(synthesized)
    functions = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Runtime"] == "python3.12"]
    assert functions
    for function in functions:
        env = function.properties["Environment"]["Variables"]
        assert env["ATRIUM_TASK_QUEUE_PREFIX"] == PREFIX
        assert env["ATRIUM_TASK_SCHEDULE_GROUP"] == GROUP
        assert synthesized.resolve(function.stack, env["ATRIUM_TASK_SCHEDULER_ROLE_ARN"]) == role


def test_the_scheduler_role_may_only_send_to_the_task_queues(synthesized: Any) -> None:
    role = _scheduler_role(synthesized)
    (trust,) = role.properties["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    assert "ManagedPolicyArns" not in role.properties and "Policies" not in role.properties
    granted = [s for p in synthesized.resources("AWS::IAM::Policy")
               if p.stack == role.stack and {"Ref": role.logical_id} in p.properties["Roles"]
               for s in p.properties["PolicyDocument"]["Statement"]]
    assert [as_list(s["Action"]) for s in granted] == [["sqs:SendMessage"]]
    queues = {synthesized.resolve(role.stack, r).logical_id for r in as_list(granted[0]["Resource"])}
    assert queues == {_queue_of(synthesized, spec.name).logical_id for spec in TASKS}


def test_tasks_send_reaches_the_task_queues_the_group_and_passes_only_the_scheduler_role(synthesized: Any) -> None:
    senders = [spec for spec in TASKS if Grant.TASKS_SEND in spec.grants]
    assert senders, "no declaration holds Grant.TASKS_SEND: nothing to test"
    role = _scheduler_role(synthesized)
    queues = {_queue_of(synthesized, spec.name).logical_id for spec in TASKS}
    for spec in senders:
        function = synthesized.functions("ATRIUM_CONSUMER")[spec.name]
        found = statements(synthesized, function)
        send = [s for s in found if "sqs:SendMessage" in as_list(s["Action"])]
        assert send and all(synthesized.resolve(function.stack, r).logical_id in queues
                            for s in send for r in as_list(s["Resource"]))
        (create,) = [s for s in found if "scheduler:CreateSchedule" in as_list(s["Action"])]
        assert as_list(create["Action"]) == ["scheduler:CreateSchedule"]
        (arn,) = as_list(create["Resource"])
        assert arn["Fn::Join"][1][-1] == f":schedule/{GROUP}/*", arn
        (pass_role,) = [s for s in found if "iam:PassRole" in as_list(s["Action"])]
        assert synthesized.resolve(function.stack, pass_role["Resource"]) == role
        assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}


def test_the_dashboard_shows_the_task_dlqs(synthesized: Any) -> None:
    (dashboard,) = synthesized.resources("AWS::CloudWatch::Dashboard")
    body = json.dumps(dashboard.properties["DashboardBody"])
    for spec in TASKS:
        queue = _queue_of(synthesized, spec.name)
        dlq = synthesized.resolve(queue.stack, queue.properties["RedrivePolicy"]["deadLetterTargetArn"])
        assert dlq.logical_id in body and spec.name in body, spec.name
