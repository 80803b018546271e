"""Scheduled jobs: one EventBridge Scheduler schedule per declaration, and the first-deploy run."""

import json
from typing import Any

from atrium import manifest
from atrium.kernel.events.schedules import schedule_event
from atrium.kernel.observability import NAMESPACE, function_dimensions

SCHEDULES = manifest.schedules()
# The payload placeholder EventBridge Scheduler fills with the invocation's scheduled time.
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"


def test_manifest_declares_schedules() -> None:
    assert SCHEDULES, "atrium.manifest.schedules() is empty: nothing to test"


def test_one_schedule_per_spec_targeting_its_job(synthesized: Any) -> None:
    schedules = synthesized.resources("AWS::Scheduler::Schedule")
    assert len(schedules) == len(SCHEDULES)
    by_job = {}
    for schedule in schedules:
        function = synthesized.resolve(schedule.stack, schedule.properties["Target"]["Arn"])
        assert function.properties["Handler"] == "schedule.handler"
        by_job[function.properties["Environment"]["Variables"]["ATRIUM_SCHEDULE"]] = (schedule, function)
    assert sorted(by_job) == sorted(spec.name for spec in SCHEDULES)
    for spec in SCHEDULES:
        schedule, function = by_job[spec.name]
        assert schedule.properties["ScheduleExpression"] == spec.expression
        assert schedule.properties["State"] == "ENABLED"
        target = schedule.properties["Target"]
        assert json.loads(target["Input"]) == schedule_event(spec, SCHEDULED_TIME)
        assert synthesized.resolve(schedule.stack, target["DeadLetterConfig"]["Arn"]).type == "AWS::SQS::Queue"
        assert function.properties["Timeout"] == spec.timeout_seconds


def test_each_schedule_role_invokes_only_its_job(synthesized: Any) -> None:
    for schedule in synthesized.resources("AWS::Scheduler::Schedule"):
        role = synthesized.resolve(schedule.stack, schedule.properties["Target"]["RoleArn"])
        policies = [p for p in synthesized.resources("AWS::IAM::Policy")
                    if {"Ref": role.logical_id} in p.properties["Roles"]]
        invoke = [s for p in policies for s in p.properties["PolicyDocument"]["Statement"]
                  if s["Action"] == "lambda:InvokeFunction"]
        target = schedule.properties["Target"]["Arn"]
        allowed = [target, {"Fn::Join": ["", [target, ":*"]]}]  # the function and its versions
        resources = [r for s in invoke for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])]
        assert resources and all(r in allowed for r in resources), resources


def test_rotation_job_runs_once_on_first_deploy(synthesized: Any) -> None:
    spec = manifest.schedule("identity.rotate_signing_keys")
    assert spec.run_on_deploy
    triggered = {}
    for trigger in synthesized.resources("Custom::Trigger"):
        version = synthesized.resolve(trigger.stack, trigger.properties["HandlerArn"])
        function = synthesized.resolve(version.stack, version.properties["FunctionName"])
        triggered[function.properties["Environment"]["Variables"]["ATRIUM_SCHEDULE"]] = trigger
    assert sorted(triggered) == sorted(s.name for s in SCHEDULES if s.run_on_deploy)
    props = triggered[spec.name].properties
    assert props["ExecuteOnHandlerChange"] is False
    assert props["InvocationType"] == "RequestResponse"


def test_each_alarm_a_job_declares_watches_its_metric(synthesized: Any) -> None:
    declared = {(spec.name, alarm.metric) for spec in SCHEDULES for alarm in spec.alarms}
    assert ("billing.reconcile_usage", "UsageDrift") in declared
    found = set()
    for alarm in synthesized.resources("AWS::CloudWatch::Alarm"):
        props = alarm.properties
        if props.get("Namespace") != NAMESPACE:
            continue
        dimensions = {dimension["Name"]: dimension["Value"] for dimension in props["Dimensions"]}
        assert dimensions == function_dimensions("job", dimensions["function_name"])
        assert (props["Threshold"], props["ComparisonOperator"]) == (0, "GreaterThanThreshold")
        found.add((dimensions["function_name"], props["MetricName"]))
    assert found == declared
