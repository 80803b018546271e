"""Every function: tracing, its own log group with retention, an errors and a throttles alarm.
One dashboard."""

import json
from typing import Any

from infra.paths import CDK_JSON

CONTEXT = json.loads(CDK_JSON.read_text())["context"]
RETENTION_DAYS = {"ONE_MONTH": 30}


def atrium_functions(synthesized: Any) -> list[Any]:
    # The trigger's custom resource provider (node.js, from aws-cdk-lib) is not ours.
    functions = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Runtime"] == "python3.12"]
    assert functions
    return functions


def test_every_function_is_traced_and_logs_to_its_own_group(synthesized: Any) -> None:
    seen = set()
    for function in atrium_functions(synthesized):
        assert function.properties["TracingConfig"] == {"Mode": "Active"}
        group = synthesized.resolve(function.stack, function.properties["LoggingConfig"]["LogGroup"])
        assert group.type == "AWS::Logs::LogGroup"
        assert group.properties["RetentionInDays"] == RETENTION_DAYS[CONTEXT["atrium:logRetention"]]
        assert (group.stack, group.logical_id) not in seen
        seen.add((group.stack, group.logical_id))


def test_every_function_has_an_errors_and_a_throttles_alarm(synthesized: Any) -> None:
    alarms: dict[tuple[str, str], set[str]] = {}
    for alarm in synthesized.resources("AWS::CloudWatch::Alarm"):
        props = alarm.properties
        for dimension in props.get("Dimensions", []):
            if dimension["Name"] == "FunctionName" and props["Namespace"] == "AWS/Lambda":
                function = synthesized.resolve(alarm.stack, dimension["Value"])
                assert props["Threshold"] == 0 and props["ComparisonOperator"] == "GreaterThanThreshold"
                alarms.setdefault((function.stack, function.logical_id), set()).add(props["MetricName"])
    for function in atrium_functions(synthesized):
        assert alarms.get((function.stack, function.logical_id)) == {"Errors", "Throttles"}, function.logical_id


def test_one_dashboard(synthesized: Any) -> None:
    (dashboard,) = synthesized.resources("AWS::CloudWatch::Dashboard")
    assert dashboard.stack == "Atrium"
