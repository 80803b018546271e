"""Tenant isolation below the code (ARCHITECTURE §2, §6): the ``TenantDataAccess`` role.

Every tenant-owned pk and GSI pk begins with ``T#<tenant_id>#``. A session of this role
carries the session tag ``tenant_id`` and may touch only items (and index partitions) whose
partition key begins with ``T#<that tenant>#``: IAM enforces it with ``dynamodb:LeadingKeys``,
so a bug in the code cannot read or write another tenant's data through such a session.

Who may assume it: the route functions behind the authorizer that hold a table grant. They
pass the tenant of their verified principal as the session tag. Public routes have no
verified tenant, and global items (``G#...``) are out of this role's reach by design: a
function that needs them keeps using its own role for those.

Route functions get its ARN in ``ATRIUM_TENANT_DATA_ROLE_ARN``; ``atrium.kernel.store.tenant_credentials``
then signs each of their DynamoDB calls that names only tenant-owned keys with a session tagged with the
tenant in scope (one per tenant, cached for its life), and every other call with the function's own role.

Session tag values cannot contain ``#``, ``*`` or ``?`` (IAM allows letters, digits, spaces and
``_.:/=+-@``), so a tag can never widen ``T#<tag>#*`` to another tenant's prefix.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from atrium.kernel.grants import Grant
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.store.table import TABLE
from atrium.kernel.store.tenant_credentials import TENANT_TAG
from infra.constructs.data import TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS
from infra.constructs.function import AtriumFunction

# The policy variable IAM fills from the session tag; the key scheme's tenant prefix around it.
PRINCIPAL_TENANT = "${aws:PrincipalTag/" + TENANT_TAG + "}"
LEADING_KEYS_PATTERN = f"T#{PRINCIPAL_TENANT}#*"
# A tenant id is ``ten_`` + a 26-character ULID (atrium.kernel.ids): the only tag value accepted.
TENANT_TAG_PATTERN = "ten_" + "?" * 26
ROLE_ARN_ENV = "ATRIUM_TENANT_DATA_ROLE_ARN"

# Item-level actions only: what the route grants allow on the table (no Scan, no table
# management, no streams). On an index only Query reads anything.
ITEM_ACTIONS = tuple(sorted(set(TABLE_READ_ACTIONS) | set(TABLE_WRITE_ACTIONS)))
INDEX_ACTIONS = ("dynamodb:Query",)
TABLE_GRANTS = frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE})
MAX_SESSION = Duration.hours(1)


def tenant_conditions() -> dict[str, dict[str, str]]:
    """The condition on every statement of the tenant data policy.

    ``ForAllValues`` holds for every key a request names (BatchGetItem names several); the
    ``Null`` guard denies a session without the tag, and a request without leading keys
    (for which ``ForAllValues`` would hold vacuously).
    """
    return {
        "ForAllValues:StringLike": {"dynamodb:LeadingKeys": LEADING_KEYS_PATTERN},
        "Null": {f"aws:PrincipalTag/{TENANT_TAG}": "false", "dynamodb:LeadingKeys": "false"},
    }


def index_arns(table_arn: str) -> list[str]:
    # Named indexes, not ``index/*``: exactly the declared GSIs.
    return [f"{table_arn}/index/{index.name}" for index in TABLE.indexes]


def tenant_data_policy(table_arn: str) -> dict[str, Any]:
    """The tenant data policy document (IAM JSON): the table's items and its indexes'
    partitions, all bounded to the session's tenant."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "TenantItems", "Effect": "Allow", "Action": list(ITEM_ACTIONS), "Resource": [table_arn],
             "Condition": tenant_conditions()},
            {"Sid": "TenantIndexQueries", "Effect": "Allow", "Action": list(INDEX_ACTIONS),
             "Resource": index_arns(table_arn), "Condition": tenant_conditions()},
        ],
    }


def trust_conditions() -> dict[str, dict[str, Any]]:
    """Assuming the role requires the ``tenant_id`` session tag, shaped like a tenant id, and
    no other tag."""
    return {
        "StringLike": {f"aws:RequestTag/{TENANT_TAG}": TENANT_TAG_PATTERN},
        "ForAllValues:StringEquals": {"aws:TagKeys": [TENANT_TAG]},
    }


def tenant_data_role_path(stack_name: str) -> str:
    """The IAM path of the route roles that may assume the role: trusting the path, not each role's ARN,
    keeps the trust policy within IAM's 2048-character quota however many routes there are."""
    return f"/atrium/{stack_name}/tenant-data/"


def uses_tenant_data(spec: RouteSpec) -> bool:
    """A route that may assume the role: behind the authorizer (so it has a verified tenant)
    and holding a table grant."""
    return not spec.is_public and bool(spec.grants & TABLE_GRANTS)


class TenantDataAccess(Construct):
    """The role, trusted by the route functions that ``uses_tenant_data`` selects; they get its
    ARN in ``ATRIUM_TENANT_DATA_ROLE_ARN``.

    Their roles, and only theirs, live under ``tenant_data_role_path``; the trust policy names
    the account with an ``aws:PrincipalArn`` condition on that path, and each of those roles is
    allowed to assume this one by ARN. The role has a fixed name so that ARN can be written in
    the nested route stacks without a reference (and without a dependency cycle).
    """

    def __init__(self, scope: Construct, construct_id: str, *, table: dynamodb.ITable,
                 routes: Iterable[RouteSpec], functions: Mapping[str, AtriumFunction]) -> None:
        super().__init__(scope, construct_id)
        self.functions = {spec.operation_id: functions[spec.operation_id] for spec in routes
                          if uses_tenant_data(spec)}
        if not self.functions:
            raise ValueError("no route may assume TenantDataAccess: no authenticated route holds a table grant")
        # IAM role names are per account: the stack name is per region, so add the region.
        self.role_name = f"{Stack.of(self).stack_name}-TenantData-{Aws.REGION}"
        self.role_arn = f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/{self.role_name}"
        path = tenant_data_role_path(Stack.of(self).stack_name)
        route_roles = f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role{path}*"
        principal = iam.AccountPrincipal(Aws.ACCOUNT_ID).with_conditions(
            {**trust_conditions(), "ArnLike": {"aws:PrincipalArn": route_roles}})
        self.role = iam.Role(
            self, "Role", role_name=self.role_name, max_session_duration=MAX_SESSION,
            description="Atrium tenant data: table items of the tenant in the session tag tenant_id only",
            assumed_by=principal.with_session_tags(),
            inline_policies={"TenantData": iam.PolicyDocument.from_json(tenant_data_policy(table.table_arn))},
        )
        for function in self.functions.values():
            function.function.add_environment(ROLE_ARN_ENV, self.role_arn)
            function.role.add_to_principal_policy(iam.PolicyStatement(
                sid="AssumeTenantData", actions=["sts:AssumeRole", "sts:TagSession"], resources=[self.role_arn]))
