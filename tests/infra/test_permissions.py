"""Least privilege: every function has its own role holding exactly its declared grants."""

from typing import Any

from atrium import manifest
from atrium.kernel.consumers import Events, Tasks, Topic
from atrium.kernel.grants import Grant

# Written out here (not imported from infra) so the test checks the mapping, not itself.
GRANT_ACTIONS: dict[Grant, set[str]] = {
    # The table's encrypted fields come with it: their tenants' data keys unwrap and are made with the field key.
    Grant.TABLE_READ: {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem",
                       "kms:Decrypt"},
    Grant.TABLE_WRITE: {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                        "dynamodb:ConditionCheckItem", "kms:GenerateDataKey"},
    Grant.BUS_PUT: {"events:PutEvents"},
    Grant.SIGNING_KEYS_READ: {"secretsmanager:GetSecretValue"},
    Grant.SIGNING_KEYS_WRITE: {"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"},
    Grant.CURSOR_KEY_READ: {"secretsmanager:GetSecretValue"},
    Grant.STRIPE_WEBHOOK_SECRET_READ: {"secretsmanager:GetSecretValue"},
    Grant.STRIPE_API_KEY_READ: {"secretsmanager:GetSecretValue"},
    Grant.MAIL_SEND: {"ses:SendEmail"},
    Grant.AUDIT_KEY_READ: {"secretsmanager:GetSecretValue"},
    Grant.AUDIT_CHECKPOINTS_READ: {"s3:GetObject", "s3:ListBucket"},
    Grant.AUDIT_CHECKPOINTS_WRITE: {"s3:PutObject"},
    Grant.FILES_READ: {"s3:GetObject"},
    Grant.FILES_WRITE: {"s3:PutObject", "s3:PutObjectTagging"},
    Grant.FILES_DELETE: {"s3:DeleteObject"},
    Grant.FILES_LIST: {"s3:ListBucket"},
    Grant.TABLE_SCAN: {"dynamodb:Scan"},
    Grant.WEBHOOK_KEY_READ: {"secretsmanager:GetSecretValue"},
    Grant.RATE_LIMIT_COUNT: {"dynamodb:UpdateItem"},
    Grant.MFA_KEY_READ: {"secretsmanager:GetSecretValue"},
    Grant.RUNNERS_INVOKE: {"lambda:InvokeFunction"},
    Grant.PLUGIN_STORE: {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query",
                         "dynamodb:UpdateItem", "kms:Decrypt", "kms:GenerateDataKey"},
    Grant.TASKS_SEND: {"sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "scheduler:CreateSchedule",
                       "iam:PassRole"},
}
EVERY_FUNCTION = {"logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
SQS_CONSUME = {"sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage",
               "sqs:GetQueueAttributes"}


def statements(synthesized: Any, function: Any) -> list[dict[str, Any]]:
    role = synthesized.resolve(function.stack, function.properties["Role"])
    assert role.type == "AWS::IAM::Role"
    assert "ManagedPolicyArns" not in role.properties, "managed policies grant more than declared"
    found = [s for p in role.properties.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    for policy in synthesized.resources("AWS::IAM::Policy"):
        if policy.stack == role.stack and {"Ref": role.logical_id} in policy.properties["Roles"]:
            found += policy.properties["PolicyDocument"]["Statement"]
    assert all(s["Effect"] == "Allow" for s in found)
    return found


def actions(synthesized: Any, function: Any) -> set[str]:
    return {a for s in statements(synthesized, function)
            for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}


# A function holding a table grant may also assume the tenant data role (tests/infra/test_tenant_isolation.py).
TENANT_DATA_ACTIONS = {"sts:AssumeRole", "sts:TagSession"}


def expected(grants: frozenset[Grant]) -> set[str]:
    tenant_data = TENANT_DATA_ACTIONS if grants & {Grant.TABLE_READ, Grant.TABLE_WRITE} else set()
    return EVERY_FUNCTION.union(*(GRANT_ACTIONS[g] for g in grants)) | tenant_data


def test_every_grant_has_a_mapping() -> None:
    assert set(GRANT_ACTIONS) == set(Grant)


def test_route_functions_hold_exactly_their_grants(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_ROUTE")
    for spec in manifest.routes():
        assert actions(synthesized, functions[spec.operation_id]) == expected(spec.grants), spec.operation_id


def test_consumers_of_events_hold_their_grants_plus_idempotency_records_and_their_queue(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_CONSUMER")
    for spec in manifest.consumers():
        if isinstance(spec.source, Events):
            grants = spec.grants | {Grant.TABLE_READ, Grant.TABLE_WRITE}
            assert actions(synthesized, functions[spec.name]) == expected(grants) | SQS_CONSUME, spec.name


def test_consumers_of_topics_and_tasks_hold_exactly_their_grants_and_their_queue(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_CONSUMER")
    others = [spec for spec in manifest.consumers() if isinstance(spec.source, Topic | Tasks)]
    assert {type(spec.source) for spec in others} == {Topic, Tasks}
    for spec in others:
        assert actions(synthesized, functions[spec.name]) == expected(spec.grants) | SQS_CONSUME, spec.name


def test_jobs_hold_exactly_their_grants(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_SCHEDULE")
    for spec in manifest.schedules():
        assert actions(synthesized, functions[spec.name]) == expected(spec.grants), spec.name


def test_relay_may_only_read_the_stream_and_the_table_and_put_events(synthesized: Any) -> None:
    """The table: its tenants' data keys, which open the outbox's envelopes."""
    (relay,) = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Handler"] == "relay.handler"]
    stream = {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"}
    dlq = {"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}
    assert actions(synthesized, relay) == expected(frozenset({Grant.BUS_PUT, Grant.TABLE_READ})) | stream | dlq


def test_every_function_has_its_own_role(synthesized: Any) -> None:
    functions = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Runtime"] == "python3.12"]
    roles = [(f.stack, str(f.properties["Role"])) for f in functions]
    assert len(set(roles)) == len(functions)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_table_writes_reach_the_table_and_reads_its_declared_indexes(synthesized: Any) -> None:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    table_arn = {"Fn::GetAtt": [table.logical_id, "Arn"]}
    indexes = [{"Fn::Join": ["", [table_arn, f"/index/{name}"]]} for name in ("gsi1", "gsi2")]
    function = synthesized.functions("ATRIUM_CONSUMER")[manifest.consumers()[0].name]
    table_statements = [s for s in statements(synthesized, function)
                        if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    assert table_statements
    for statement in table_statements:
        writes = set(as_list(statement["Action"])) & GRANT_ACTIONS[Grant.TABLE_WRITE] - GRANT_ACTIONS[Grant.TABLE_READ]
        allowed = [table_arn] if writes else [table_arn, *indexes]
        assert all(synthesized.lifted(function.stack, r) in allowed for r in as_list(statement["Resource"])), statement


def test_only_unscoped_services_use_a_wildcard_resource(synthesized: Any) -> None:
    unscoped = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListStreams"}
    for function in synthesized.resources("AWS::Lambda::Function"):
        if function.properties["Runtime"] != "python3.12":
            continue
        for statement in statements(synthesized, function):
            if statement["Resource"] == "*":
                assert set(as_list(statement["Action"])) <= unscoped, statement


def test_only_backups_restores_and_tenant_deletions_may_scan_and_the_table_alone(synthesized: Any) -> None:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    functions = {name: function for kind in ("ATRIUM_ROUTE", "ATRIUM_CONSUMER", "ATRIUM_SCHEDULE")
                 for name, function in synthesized.functions(kind).items()}
    scanning = {name for name, function in functions.items() if "dynamodb:Scan" in actions(synthesized, function)}
    assert scanning == {"jobs.compliance.backup", "jobs.compliance.restore", "compliance.tenant_deletions"}
    function = synthesized.functions("ATRIUM_CONSUMER")["jobs.compliance.backup"]
    (scan,) = [s for s in statements(synthesized, function) if "dynamodb:Scan" in as_list(s["Action"])]
    assert as_list(scan["Action"]) == ["dynamodb:Scan"] and "Condition" not in scan
    assert [synthesized.lifted(function.stack, r) for r in as_list(scan["Resource"])] == [
        {"Fn::GetAtt": [table.logical_id, "Arn"]}]


def test_the_plugin_runner_reaches_plugins_stores_and_data_keys_alone_with_no_tenant_session(
        synthesized: Any) -> None:
    """A plugin escaping its sandbox finds only its runner's role: plugins' stores, the wrapped data keys that seal
    their values, the files bucket's objects (modules) to read; no tenant session, no other item."""
    runners = synthesized.functions("ATRIUM_RUNNER")
    assert set(runners) == {spec.name for spec in manifest.runners()} == {"plugins.run_hook"}
    runner = runners["plugins.run_hook"]
    assert actions(synthesized, runner) == expected(manifest.runner("plugins.run_hook").grants)
    assert not actions(synthesized, runner) & TENANT_DATA_ACTIONS
    table = [s for s in statements(synthesized, runner) if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    leading = sorted(key for s in table for key in s["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"])
    assert leading == ["T#*#DataKeys#*", "T#*#PluginStore#*"]
    (reads_keys,) = [s for s in table if "T#*#DataKeys#*" in str(s["Condition"])]
    assert as_list(reads_keys["Action"]) == ["dynamodb:GetItem"]
    name = runner.properties["FunctionName"]
    assert name == "atrium-test-runner-plugins-run-hook" or name.endswith("-runner-plugins-run-hook"), name


def test_only_declared_callers_may_invoke_runners(synthesized: Any) -> None:
    functions = {name: function for kind in ("ATRIUM_ROUTE", "ATRIUM_CONSUMER", "ATRIUM_SCHEDULE", "ATRIUM_RUNNER")
                 for name, function in synthesized.functions(kind).items()}
    invoking = {name for name, function in functions.items()
                if "lambda:InvokeFunction" in actions(synthesized, function)}
    assert invoking == {"proofs.submit_proof", "plugins.run_plugin_hook", "plugins.run_event_hooks"}
