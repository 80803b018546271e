"""Tasks due later than SQS can delay them: the declared EventBridge Scheduler group of their one-time schedules,
and the role those schedules send to the task queues (the queues of consumers whose source is ``Tasks``) as."""

from collections.abc import Sequence

from aws_cdk import Aws, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from atrium.kernel.resources import Access, ScheduleGroup
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Statement


def task_queue_prefix(stage: str) -> str:
    """What task queue names start with (``ATRIUM_TASK_QUEUE_PREFIX``): the runtime finds a queue by name."""
    return f"atrium-{stage}-"


class BuiltScheduleGroup:
    def __init__(self, scope: Construct, construct_id: str, declaration: ScheduleGroup,
                 deployment: Deployment) -> None:
        self.declaration = declaration
        self.name = f"atrium-{deployment.config.stage}-{declaration.name}"
        self.group = scheduler.CfnScheduleGroup(scope, construct_id, name=self.name)
        # The one role the group's schedules send as (tasks.send names it in each schedule): it may only put
        # messages on the task queues.
        self.role = iam.Role(
            scope, "SchedulerRole", description="EventBridge Scheduler: sends delayed tasks to the task queues",
            assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com",
                                            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))

    def send_to(self, queue_arns: Sequence[str]) -> None:
        """Let the schedules send to the task queues."""
        if queue_arns:
            self.role.add_to_principal_policy(iam.PolicyStatement(actions=["sqs:SendMessage"],
                                                                  resources=list(queue_arns)))

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.name, self.declaration.role_setting: self.role.role_arn}

    def statements(self, access: Access) -> list[Statement]:
        """Create a schedule in the group (every one: their names are digests of task keys, known only at run time),
        which sends as the role: so the role is passed, to EventBridge Scheduler only."""
        supported(self.declaration, access, Access.SEND)
        schedules = Stack.of(self.group).format_arn(service="scheduler", resource="schedule",
                                                    resource_name=f"{self.name}/*")
        return [Statement(("scheduler:CreateSchedule",), (schedules,)),
                Statement(("iam:PassRole",), (self.role.role_arn,),
                          conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}})]
