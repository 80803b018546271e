"""Task queues (from the declarations): per task, a named queue + DLQ and the function that reads it; one
EventBridge Scheduler group for tasks due later than SQS can delay them, and the role its one-time schedules
send to the task queues as.

Built in two steps: the queues, group and role first (every function's environment and the TASKS_SEND grant
name them), the functions once the function kit exists (``add_functions``)."""

from dataclasses import dataclass

from aws_cdk import Aws, Duration, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atrium.kernel.tasks import TASK_TAG, TaskSpec
from infra.constructs.events import dead_letter_queue, secure_queue
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.constructs.functions import MAX_BATCH_WITHOUT_WINDOW
from infra.constructs.observability import dlq_alarm
from infra.naming import pascal


def task_queue_prefix(stage: str) -> str:
    """What task queue names start with (``ATRIUM_TASK_QUEUE_PREFIX``): the runtime finds a queue by name."""
    return f"atrium-{stage}-"


@dataclass
class TaskQueue:
    spec: TaskSpec
    scope: Construct
    queue: sqs.Queue
    dlq: sqs.Queue
    function: AtriumFunction | None = None


class Tasks(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, tasks: tuple[TaskSpec, ...]) -> None:
        super().__init__(scope, construct_id)
        self.prefix = task_queue_prefix(stage)
        self.queues = [self._queue(spec) for spec in tasks]
        self.schedule_group_name = f"atrium-{stage}-tasks"
        self.schedule_group = scheduler.CfnScheduleGroup(self, "ScheduleGroup", name=self.schedule_group_name)
        # The one role delayed tasks' schedules send as (tasks.send names it in each schedule): it may only
        # put messages on the task queues.
        self.scheduler_role = iam.Role(
            self, "SchedulerRole", description="EventBridge Scheduler: sends delayed tasks to the task queues",
            assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com",
                                            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
        if self.queues:
            self.scheduler_role.add_to_principal_policy(iam.PolicyStatement(
                actions=["sqs:SendMessage"], resources=self.queue_arns()))

    def _queue(self, spec: TaskSpec) -> TaskQueue:
        scope = Construct(self, pascal(spec.name))
        name = f"{self.prefix}{spec.resource_name}"
        dlq = dead_letter_queue(scope, "Dlq", f"task queue {spec.name}", queue_name=f"{name}-dlq")
        queue = secure_queue(scope, "Queue", queue_name=name,
                             visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
                             dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=spec.max_receive_count,
                                                                   queue=dlq))
        Tags.of(scope).add(TASK_TAG, spec.name)
        dlq_alarm(scope, "DlqAlarm", dlq, f"task queue {spec.name}")
        return TaskQueue(spec, scope, queue, dlq)

    def queue_arns(self) -> list[str]:
        return [task.queue.queue_arn for task in self.queues]

    def schedule_arn_pattern(self) -> str:
        """Every schedule of the task group (their names are digests of task keys, known only at run time)."""
        return Stack.of(self).format_arn(service="scheduler", resource="schedule",
                                         resource_name=f"{self.schedule_group_name}/*")

    def add_functions(self, kit: FunctionKit) -> None:
        for task in self.queues:
            spec = task.spec
            task.function = AtriumFunction(
                task.scope, "Function", kit=kit, handler="task.handler", description=spec.description,
                grants=spec.grants, timeout=Duration.seconds(spec.timeout_seconds),
                environment={"ATRIUM_TASK": spec.name}, layers=spec.layers)
            window = Duration.seconds(1) if spec.batch_size > MAX_BATCH_WITHOUT_WINDOW else None
            task.function.function.add_event_source(sources.SqsEventSource(
                task.queue, batch_size=spec.batch_size, max_batching_window=window, report_batch_item_failures=True))
