"""Declared grants -> least-privilege IAM statements on one role.

Each grant maps to the exact actions on the exact resources it needs; nothing uses a
``grant_*_data`` shortcut, because those add Scan, DescribeTable and stream actions no
Atrium function needs.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

from atrium.kernel.grants import Grant
from atrium.kernel.store.table import TABLE

TABLE_READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem")
TABLE_WRITE_ACTIONS = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                       "dynamodb:ConditionCheckItem")


@dataclass(frozen=True)
class GrantTargets:
    """The resources grants refer to."""

    table: dynamodb.ITable
    bus: events.IEventBus
    signing_secret: secretsmanager.ISecret
    cursor_secret: secretsmanager.ISecret
    stripe_webhook_secret: secretsmanager.ISecret
    email_identity_arn: str
    audit_secret: secretsmanager.ISecret
    checkpoints: s3.IBucket
    files: s3.IBucket
    mail_configuration_set_arn: str
    webhook_secret: secretsmanager.ISecret
    mfa_secret: secretsmanager.ISecret
    task_queue_arns: Sequence[str]
    # Every schedule of the task schedule group (arn:...:schedule/<group>/*).
    task_schedules_arn: str
    task_scheduler_role: iam.IRole

    def index_arns(self) -> list[str]:
        # Named indexes, not ``index/*``: the role reaches exactly the declared GSIs.
        return [f"{self.table.table_arn}/index/{index.name}" for index in TABLE.indexes]


def _statement(actions: Iterable[str], resources: Iterable[str], *,
               conditions: dict[str, dict[str, str]] | None = None) -> iam.PolicyStatement:
    return iam.PolicyStatement(actions=sorted(actions), resources=list(resources), conditions=conditions)


def _tasks_send(t: GrantTargets) -> list[iam.PolicyStatement]:
    """Now or within 15 minutes: straight onto a task queue (found by name). Later: a one-time schedule in the
    task group, which sends as the scheduler role (so the role is passed, to EventBridge Scheduler only)."""
    if not t.task_queue_arns:
        raise ValueError("Grant.TASKS_SEND is declared but no task queue is: declare a TaskSpec first")
    return [
        _statement(["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], t.task_queue_arns),
        _statement(["scheduler:CreateSchedule"], [t.task_schedules_arn]),
        _statement(["iam:PassRole"], [t.task_scheduler_role.role_arn],
                   conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}),
    ]


_STATEMENTS: dict[Grant, Callable[[GrantTargets], iam.PolicyStatement | list[iam.PolicyStatement]]] = {
    Grant.TABLE_READ: lambda t: _statement(TABLE_READ_ACTIONS, [t.table.table_arn, *t.index_arns()]),
    Grant.TABLE_WRITE: lambda t: _statement(TABLE_WRITE_ACTIONS, [t.table.table_arn]),
    Grant.BUS_PUT: lambda t: _statement(["events:PutEvents"], [t.bus.event_bus_arn]),
    Grant.SIGNING_KEYS_READ: lambda t: _statement(["secretsmanager:GetSecretValue"], [t.signing_secret.secret_arn]),
    Grant.SIGNING_KEYS_WRITE: lambda t: _statement(
        ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], [t.signing_secret.secret_arn]),
    Grant.CURSOR_KEY_READ: lambda t: _statement(["secretsmanager:GetSecretValue"], [t.cursor_secret.secret_arn]),
    Grant.STRIPE_WEBHOOK_SECRET_READ: lambda t: _statement(["secretsmanager:GetSecretValue"],
                                                           [t.stripe_webhook_secret.secret_arn]),
    Grant.AUDIT_KEY_READ: lambda t: _statement(["secretsmanager:GetSecretValue"], [t.audit_secret.secret_arn]),
    Grant.WEBHOOK_KEY_READ: lambda t: _statement(["secretsmanager:GetSecretValue"], [t.webhook_secret.secret_arn]),
    Grant.MFA_KEY_READ: lambda t: _statement(["secretsmanager:GetSecretValue"], [t.mfa_secret.secret_arn]),
    # Checkpoints are read (listed and fetched) and added; no grant can delete one (Object Lock refuses anyway).
    Grant.AUDIT_CHECKPOINTS_READ: lambda t: _statement(
        ["s3:GetObject", "s3:ListBucket"], [t.checkpoints.bucket_arn, t.checkpoints.arn_for_objects("*")]),
    Grant.AUDIT_CHECKPOINTS_WRITE: lambda t: _statement(["s3:PutObject"], [t.checkpoints.arn_for_objects("*")]),
    # Tenants' files only (tenants/<tenant>/...); a presigned download is signed with s3:GetObject.
    Grant.FILES_READ: lambda t: _statement(["s3:GetObject"], [t.files.arn_for_objects("tenants/*")]),
    Grant.FILES_WRITE: lambda t: _statement(["s3:PutObject", "s3:PutObjectTagging"],
                                            [t.files.arn_for_objects("tenants/*")]),
    Grant.FILES_DELETE: lambda t: _statement(["s3:DeleteObject"], [t.files.arn_for_objects("tenants/*")]),
    # The sender's identity and the configuration set every send names (SES authorizes both).
    # (An SES account still in the sandbox also checks recipients.)
    Grant.MAIL_SEND: lambda t: _statement(["ses:SendEmail"], [t.email_identity_arn, t.mail_configuration_set_arn]),
    Grant.TASKS_SEND: _tasks_send,
}


def statements_for(grants: Iterable[Grant], targets: GrantTargets) -> list[iam.PolicyStatement]:
    """The statements of each grant (one, or one per kind of resource), in a stable order (so templates do not
    churn)."""
    unknown = set(grants) - set(_STATEMENTS)
    if unknown:
        raise KeyError(f"no IAM mapping for grants {sorted(unknown)}: add them to infra/constructs/permissions.py")
    found: list[iam.PolicyStatement] = []
    for grant in sorted(set(grants)):
        made = _STATEMENTS[grant](targets)
        found += made if isinstance(made, list) else [made]
    return found


def apply_grants(role: iam.IRole, grants: Iterable[Grant], targets: GrantTargets) -> None:
    for statement in statements_for(grants, targets):
        role.add_to_principal_policy(statement)
