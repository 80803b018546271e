"""Tasks due later than SQS can delay them: one EventBridge Scheduler group for their one-time schedules, and the
role those schedules send to the task queues (the queues of consumers whose source is ``Tasks``) as."""

from collections.abc import Sequence

from aws_cdk import Aws, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct


def task_queue_prefix(stage: str) -> str:
    """What task queue names start with (``ATRIUM_TASK_QUEUE_PREFIX``): the runtime finds a queue by name."""
    return f"atrium-{stage}-"


class Tasks(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str) -> None:
        super().__init__(scope, construct_id)
        self.prefix = task_queue_prefix(stage)
        self.schedule_group_name = f"atrium-{stage}-tasks"
        self.schedule_group = scheduler.CfnScheduleGroup(self, "ScheduleGroup", name=self.schedule_group_name)
        # The one role delayed tasks' schedules send as (tasks.send names it in each schedule): it may only
        # put messages on the task queues.
        self.scheduler_role = iam.Role(
            self, "SchedulerRole", description="EventBridge Scheduler: sends delayed tasks to the task queues",
            assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com",
                                            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))

    def send_to(self, queue_arns: Sequence[str]) -> None:
        """Let the schedules send to the task queues."""
        if queue_arns:
            self.scheduler_role.add_to_principal_policy(iam.PolicyStatement(
                actions=["sqs:SendMessage"], resources=list(queue_arns)))

    def schedule_arn_pattern(self) -> str:
        """Every schedule of the task group (their names are digests of task keys, known only at run time)."""
        return Stack.of(self).format_arn(service="scheduler", resource="schedule",
                                         resource_name=f"{self.schedule_group_name}/*")
