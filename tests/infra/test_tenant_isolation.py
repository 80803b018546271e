"""Isolation below the code: the TenantDataAccess role, read back from the synthesized templates.

moto does not evaluate IAM conditions, so these tests check the documents themselves: every
statement is bounded by ``dynamodb:LeadingKeys`` to the session's tenant and the global items
(with a Null guard), only item-level actions reach the table and its indexes, every function
holding a table grant may assume the role, with the ``tenant_id`` session tag, and no function's
own role reaches a tenant's items (but rate-window counters).

The expected documents are written out here (not imported from infra), so the tests check the
policy rather than restate it. tests/unit/test_tenant_key_pattern.py checks that every key the
code writes fits the same patterns; tests/support/iam_leading_keys.py checks every DynamoDB call
of the suite against them.
"""

import json
import re
from typing import Any

import pytest

from atrium.kernel.store.table import TABLE

LEADING_KEYS = ["T#${aws:PrincipalTag/tenant_id}#*", "G#*"]
CONDITION = {
    "ForAllValues:StringLike": {"dynamodb:LeadingKeys": LEADING_KEYS},
    "Null": {"aws:PrincipalTag/tenant_id": "false", "dynamodb:LeadingKeys": "false"},
}
# What the route grants allow on the table: item-level reads and writes, nothing else.
ITEM_ACTIONS = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem",
                "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
INDEX_ACTIONS = {"dynamodb:Query"}
# Never on a tenant session: no leading key (Scan, PartiQL), the whole table, or its stream.
FORBIDDEN = re.compile(r"^dynamodb:(Scan|PartiQL.*|ExecuteStatement|BatchExecuteStatement|ExecuteTransaction|"
                       r"\w*Table\w*|\w*Backup\w*|\w*Export\w*|\w*Import\w*|\w*Stream\w*|GetRecords|"
                       r"GetShardIterator|\w*TimeToLive|\w*Tag\w*|\w*Polic\w*|\*)$")
ROLE_ARN_ENV = "ATRIUM_TENANT_DATA_ROLE_ARN"
# IAM's default quota for a role trust policy (non-whitespace characters), and the longest
# role ARN a CloudFormation-named role can have in the aws partition (64-character name).
TRUST_POLICY_QUOTA = 2048


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# What a function's own role may name on the table: the global items; and, to add 1 to rate-window counters
# (UpdateItem), those windows.
OWN_ROLE_CONDITION = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["G#*"]},
                      "Null": {"dynamodb:LeadingKeys": "false"}}
COUNTER_CONDITION = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["T#*#RateWindow#*",
                                                                          "G#GlobalRateWindow#*"]}}
RUNNER_CONDITIONS = [{"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [keys]},
                      "Null": {"dynamodb:LeadingKeys": "false"}} for keys in ("T#*#PluginStore#*", "T#*#DataKeys#*")]


def function_roles(synthesized: Any) -> dict[str, Any]:
    """Every function's role, by the function's logical id."""
    return {function.logical_id: synthesized.resolve(function.stack, function.properties["Role"])
            for function in synthesized.resources("AWS::Lambda::Function")}


def table_statements(synthesized: Any, role: Any) -> list[dict[str, Any]]:
    """The statements of a function's role that act on the table's items (its stream's actions are others)."""
    found = []
    for policy in synthesized.resources("AWS::IAM::Policy"):
        if policy.stack == role.stack and {"Ref": role.logical_id} in policy.properties["Roles"]:
            found += [statement for statement in policy.properties["PolicyDocument"]["Statement"]
                      if set(as_list(statement["Action"])) & ITEM_ACTIONS]
    return found


def render(value: Any) -> str:
    """A string-valued intrinsic as text: ``Ref`` of a pseudo parameter as ``${AWS::...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Fn::Join"}:
        separator, parts = value["Fn::Join"]
        return str(separator).join(render(part) for part in parts)
    if isinstance(value, dict) and set(value) == {"Ref"} and str(value["Ref"]).startswith("AWS::"):
        return "${" + str(value["Ref"]) + "}"
    raise AssertionError(f"not built from literals and pseudo parameters only: {value}")


@pytest.fixture(scope="module")
def role(synthesized: Any) -> Any:
    """The one role whose policies use LeadingKeys."""
    found = [r for r in synthesized.resources("AWS::IAM::Role") if "dynamodb:LeadingKeys" in json.dumps(r.properties)]
    assert len(found) == 1, [r.logical_id for r in found]
    assert found[0].logical_id.startswith("TenantDataAccess")
    return found[0]


@pytest.fixture(scope="module")
def statements(synthesized: Any, role: Any) -> list[dict[str, Any]]:
    found = [s for p in role.properties["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert found
    return found


@pytest.fixture(scope="module")
def table(synthesized: Any) -> Any:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    return table


def test_the_role_holds_its_inline_policy_only(synthesized: Any, role: Any) -> None:
    assert "ManagedPolicyArns" not in role.properties
    assert "PermissionsBoundary" not in role.properties
    attached = [p for p in synthesized.resources("AWS::IAM::Policy") + synthesized.resources("AWS::IAM::ManagedPolicy")
                if {"Ref": role.logical_id} in p.properties.get("Roles", [])]
    assert attached == [], "a policy attached beside the inline one could grant without the tenant condition"
    assert role.properties.get("MaxSessionDuration", 3600) <= 3600


def test_every_statement_is_bounded_to_the_sessions_tenant(statements: list[dict[str, Any]]) -> None:
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert statement["Condition"] == CONDITION, statement.get("Sid")
        assert not {"NotAction", "NotResource", "Principal", "NotPrincipal"} & set(statement)


def test_only_item_level_actions_on_the_table_and_query_on_its_indexes(
        statements: list[dict[str, Any]], table: Any) -> None:
    table_arn = {"Fn::GetAtt": [table.logical_id, "Arn"]}
    declared = {index["IndexName"] for index in table.properties["GlobalSecondaryIndexes"]}
    assert declared == {index.name for index in TABLE.indexes}
    index_arns = [{"Fn::Join": ["", [table_arn, f"/index/{name}"]]} for name in sorted(declared)]
    actions_on: dict[str, set[str]] = {}
    for statement in statements:
        actions = set(as_list(statement["Action"]))
        assert not {a for a in actions if FORBIDDEN.match(a) or "*" in a}, statement
        for resource in as_list(statement["Resource"]):
            assert resource in [table_arn, *index_arns], resource
            actions_on.setdefault(json.dumps(resource, sort_keys=True), set()).update(actions)
    assert actions_on.pop(json.dumps(table_arn, sort_keys=True)) == ITEM_ACTIONS
    assert len(actions_on) == len(index_arns), "every declared index is covered"
    assert all(actions == INDEX_ACTIONS for actions in actions_on.values())


def test_every_function_holding_a_table_grant_may_assume_it(synthesized: Any, role: Any) -> None:
    """Trusted by IAM path: the account, only for principals whose ARN is under the path; those roles are exactly
    the functions' roles whose policies name the table (routes, the authorizer, consumers, jobs) but the plugin
    runner's, and each may assume it by ARN."""
    (statement,) = role.properties["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert set(as_list(statement["Action"])) == {"sts:AssumeRole", "sts:TagSession"}
    assert render(statement["Principal"]["AWS"]) == "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
    trusted_arns = render(statement["Condition"]["ArnLike"]["aws:PrincipalArn"])
    prefix = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role"
    assert trusted_arns.startswith(prefix) and trusted_arns.endswith("/tenant-data/*")
    path = trusted_arns[len(prefix):-1]
    roles = function_roles(synthesized)
    reading = {r.logical_id for r in roles.values()
               if any(set(as_list(s["Action"])) & {"dynamodb:GetItem", "dynamodb:PutItem"}
                      for s in table_statements(synthesized, r))}
    kinds = {handler for f in synthesized.resources("AWS::Lambda::Function")
             if roles[f.logical_id].logical_id in reading for handler in [f.properties["Handler"]]}
    assert kinds >= {"api.handler", "authorizer.handler", "consumer.handler", "schedule.handler"}, kinds
    under_path = {r.logical_id for r in synthesized.resources("AWS::IAM::Role") if r.properties.get("Path") == path}
    # The plugin runner reads plugins' stores with its own role, and may assume no tenant's session.
    runners = {roles[f.logical_id].logical_id for f in synthesized.resources("AWS::Lambda::Function")
               if f.properties.get("Handler") == "runner.handler"}
    assert runners and runners <= reading and not runners & under_path
    assert under_path == reading - runners
    role_arn = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + render(role.properties["RoleName"])
    allowed = set()
    for policy in synthesized.resources("AWS::IAM::Policy"):
        for statement in policy.properties["PolicyDocument"]["Statement"]:
            if statement.get("Sid") == "AssumeTenantData":
                assert render(statement["Resource"]) == role_arn
                allowed |= {synthesized.resolve(policy.stack, ref).logical_id for ref in policy.properties["Roles"]}
    assert allowed == reading - runners


def test_no_functions_own_role_reaches_tenant_items(synthesized: Any) -> None:
    """Tenant data only through a tenant's session: every statement of a function's own role naming the table is
    bounded to the global items, but the counters' UpdateItem, bounded to the rate windows, and the plugin
    runner's, bounded to plugins' stores and the wrapped data keys."""
    counted = bounded = runner = 0
    for role in function_roles(synthesized).values():
        for statement in table_statements(synthesized, role):
            if set(as_list(statement["Action"])) == {"dynamodb:UpdateItem"} and \
                    statement.get("Condition") == COUNTER_CONDITION:
                counted += 1
                continue
            if statement.get("Condition") in RUNNER_CONDITIONS:
                runner += 1
                continue
            assert statement.get("Condition") == OWN_ROLE_CONDITION, statement
            assert set(as_list(statement["Action"])) <= ITEM_ACTIONS, statement
            bounded += 1
    assert counted and bounded and runner == 2, "no statement checked: the test would pass vacuously"


def test_assuming_it_requires_the_tenant_id_session_tag(role: Any) -> None:
    for statement in role.properties["AssumeRolePolicyDocument"]["Statement"]:
        condition = statement["Condition"]
        # StringLike (no IfExists) fails when the tag is absent; the pattern is a tenant id's shape.
        assert condition["StringLike"]["aws:RequestTag/tenant_id"] == "ten_" + "?" * 26
        assert condition["ForAllValues:StringEquals"] == {"aws:TagKeys": ["tenant_id"]}
        assert not any(operator.endswith("IfExists") for operator in condition)


def test_functions_that_may_assume_it_get_its_arn(synthesized: Any, role: Any) -> None:
    role_arn = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + render(role.properties["RoleName"])
    roles = function_roles(synthesized)
    path = render(role.properties["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["ArnLike"]
                  ["aws:PrincipalArn"]).split(":role", 1)[1][:-1]
    for function in synthesized.resources("AWS::Lambda::Function"):
        env = function.properties.get("Environment", {}).get("Variables", {})
        if roles[function.logical_id].properties.get("Path") == path:
            # Literals and pseudo parameters only: the nested stack does not reference the
            # role (whose trust policy references the nested stack's roles).
            assert render(env[ROLE_ARN_ENV]) == role_arn, function.logical_id
        else:
            assert ROLE_ARN_ENV not in env, function.logical_id


def test_the_trust_policy_fits_the_iam_quota(role: Any) -> None:
    """Trusting a path, not each function role's ARN: this fails before a deploy would."""
    document = json.loads(json.dumps(role.properties["AssumeRolePolicyDocument"]))
    size = len(re.sub(r"\s", "", json.dumps(document)))
    assert size <= TRUST_POLICY_QUOTA, (
        f"the trust policy may reach {size} characters (quota {TRUST_POLICY_QUOTA}): trust the route roles by "
        "IAM path (aws:PrincipalArn) instead of one ARN each")


def test_the_role_needs_no_nag_suppression(role: Any) -> None:
    assert "cdk_nag" not in json.dumps(role.body.get("Metadata", {}))
