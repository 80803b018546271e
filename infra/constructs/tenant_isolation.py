"""Tenant isolation below the code (ARCHITECTURE §2, §6): the ``TenantDataAccess`` role.

Every tenant-owned pk and GSI pk begins with ``T#<tenant_id>#``. A session of this role carries the session tag
``tenant_id`` and may touch only items (and index partitions) whose partition key begins with
``T#<that tenant>#``, and the global items (``G#...``): IAM enforces it with ``dynamodb:LeadingKeys``, so a bug in
the code cannot read or write another tenant's data through such a session.

Every function holding a table grant may assume it (``uses_tenant_data``): routes, the authorizer, consumers,
jobs. It gets the role's ARN in ``ATRIUM_TENANT_DATA_ROLE_ARN``, and ``atrium.kernel.store.tenant_credentials``
then signs each DynamoDB call made inside a tenant scope with a session tagged with the tenant in scope (one per
tenant, cached for its life), and every other call with the function's own role, whose table statements
(infra/constructs/data.py) reach the global items only: no function role holds tenant data.

Session tag values cannot contain ``#``, ``*`` or ``?`` (IAM allows letters, digits, spaces and
``_.:/=+-@``), so a tag can never widen ``T#<tag>#*`` to another tenant's prefix.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from atrium.kernel.grants import Grant
from atrium.kernel.store.table import TABLE
from atrium.kernel.store.tenant_credentials import GLOBAL_KEYS, TENANT_TAG, tenant_keys
from infra.constructs.data import TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS

# The policy variable IAM fills from the session tag; the key scheme's tenant prefix around it.
PRINCIPAL_TENANT = "${aws:PrincipalTag/" + TENANT_TAG + "}"
LEADING_KEYS_PATTERNS = (tenant_keys(PRINCIPAL_TENANT), GLOBAL_KEYS)
# A tenant id is ``ten_`` + a 26-character ULID (atrium.kernel.ids): the only tag value accepted.
TENANT_TAG_PATTERN = "ten_" + "?" * 26
ROLE_ARN_ENV = "ATRIUM_TENANT_DATA_ROLE_ARN"

# Item-level actions only: what the route grants allow on the table (no Scan, no table
# management, no streams). On an index only Query reads anything.
ITEM_ACTIONS = tuple(sorted(set(TABLE_READ_ACTIONS) | set(TABLE_WRITE_ACTIONS)))
INDEX_ACTIONS = ("dynamodb:Query",)
TABLE_GRANTS = frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE})
MAX_SESSION = Duration.hours(1)


def tenant_conditions() -> dict[str, dict[str, str | list[str]]]:
    """The condition on every statement of the tenant data policy.

    ``ForAllValues`` holds when every key a request names (a transaction names several) matches one of the
    patterns; the ``Null`` guard denies a session without the tag, and a request without leading keys (for which
    ``ForAllValues`` would hold vacuously).
    """
    return {
        "ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(LEADING_KEYS_PATTERNS)},
        "Null": {f"aws:PrincipalTag/{TENANT_TAG}": "false", "dynamodb:LeadingKeys": "false"},
    }


def index_arns(table_arn: str) -> list[str]:
    # Named indexes, not ``index/*``: exactly the declared GSIs.
    return [f"{table_arn}/index/{index.name}" for index in TABLE.indexes]


def tenant_data_policy(table_arn: str) -> dict[str, Any]:
    """The tenant data policy document (IAM JSON): the table's items and its indexes'
    partitions, bounded to the session's tenant and the global items."""
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


def uses_tenant_data(grants: Iterable[Grant]) -> bool:
    """A function that may assume the role: one holding a table grant."""
    return bool(TABLE_GRANTS & set(grants))


@dataclass(frozen=True)
class TenantDataRole:
    """Where the role is, known before it is made: its name is fixed (per stack and region), so every function,
    in whichever nested stack, names it without a reference (and without a dependency cycle)."""

    name: str
    arn: str
    path: str  # the IAM path of the function roles that may assume it

    @classmethod
    def of(cls, stack: Stack) -> "TenantDataRole":
        # IAM role names are per account: the stack name is per region, so add the region. Trusting a path, not
        # each role's ARN, keeps the trust policy within IAM's 2048-character quota however many functions there are.
        name = f"{stack.stack_name}-TenantData-{Aws.REGION}"
        return cls(name=name, arn=f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/{name}",
                   path=f"/atrium/{stack.stack_name}/tenant-data/")

    def assume_statement(self) -> iam.PolicyStatement:
        return iam.PolicyStatement(sid="AssumeTenantData", actions=["sts:AssumeRole", "sts:TagSession"],
                                   resources=[self.arn])


class TenantDataAccess(Construct):
    """The role, trusted by the functions under ``TenantDataRole.path`` (those ``uses_tenant_data`` selects; see
    infra/constructs/function.py): the trust policy names the account with an ``aws:PrincipalArn`` condition on
    that path, and each of those roles is allowed to assume this one by ARN."""

    def __init__(self, scope: Construct, construct_id: str, *, table: dynamodb.ITable, where: TenantDataRole) -> None:
        super().__init__(scope, construct_id)
        function_roles = f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role{where.path}*"
        principal = iam.AccountPrincipal(Aws.ACCOUNT_ID).with_conditions(
            {**trust_conditions(), "ArnLike": {"aws:PrincipalArn": function_roles}})
        self.role = iam.Role(
            self, "Role", role_name=where.name, max_session_duration=MAX_SESSION,
            description="Atrium tenant data: table items of the tenant in the session tag tenant_id, and global items",
            assumed_by=principal.with_session_tags(),
            inline_policies={"TenantData": iam.PolicyDocument.from_json(tenant_data_policy(table.table_arn))},
        )
