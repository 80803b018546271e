"""Schedules: one function per declaration, run by EventBridge Scheduler."""

from aws_cdk import Aws, Duration, triggers
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from cdk_nag import NagPackSuppression, NagSuppressions, RegexAppliesTo
from constructs import Construct

from atrium.kernel.events.schedules import ScheduleSpec, schedule_event
from infra.constructs.events import dead_letter_queue
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.constructs.observability import dlq_alarm, metric_alarm
from infra.naming import pascal

SCHEDULE_RETRY_ATTEMPTS = 3


class Schedules(Construct):
    """A function and an EventBridge Scheduler schedule per job, and the alarms it declares on its metrics; jobs
    marked ``run_on_deploy`` also run once when the stack is first deployed (a trigger)."""

    def __init__(self, scope: Construct, construct_id: str, *, kit: FunctionKit,
                 schedules: tuple[ScheduleSpec, ...]) -> None:
        super().__init__(scope, construct_id)
        self.dlq = dead_letter_queue(self, "Dlq", "scheduled invocations that failed after retries")
        dlq_alarm(self, "DlqAlarm", self.dlq, "the job schedules")
        self.functions: dict[str, AtriumFunction] = {}
        for spec in schedules:
            self.functions[spec.name] = self._job(spec, kit)

    def _job(self, spec: ScheduleSpec, kit: FunctionKit) -> AtriumFunction:
        scope = Construct(self, pascal(spec.name))
        job = AtriumFunction(scope, "Job", kit=kit, handler="schedule.handler", description=spec.description,
                             grants=spec.grants, timeout=Duration.seconds(spec.timeout_seconds),
                             environment={"ATRIUM_SCHEDULE": spec.name})
        payload = schedule_event(spec, scheduler.ContextAttribute.scheduled_time)
        # Its own role (not the stack-wide one LambdaInvoke would share): invokes this job only.
        role = iam.Role(scope, "ScheduleRole", assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
        scheduler.Schedule(
            scope, "Schedule", schedule=scheduler.ScheduleExpression.expression(spec.expression),
            description=f"{spec.name}: {spec.description}"[:512],
            target=scheduler_targets.LambdaInvoke(
                job.function, role=role, input=scheduler.ScheduleTargetInput.from_object(payload),
                dead_letter_queue=self.dlq, retry_attempts=SCHEDULE_RETRY_ATTEMPTS,
            ),
        )
        # After the schedule: binding the target is what creates the role's policy.
        NagSuppressions.add_resource_suppressions(role, [NagPackSuppression(
            id="AwsSolutions-IAM5", applies_to=[RegexAppliesTo(regex=r"/^Resource::<.+\.Arn>:\*$/")],
            reason="LambdaInvoke grants lambda:InvokeFunction on this job's function and its versions "
                   "(<function arn>:*); the role can invoke nothing else.")], apply_to_children=True)
        for alarm in spec.alarms:
            metric_alarm(scope, f"{pascal(alarm.metric)}Alarm", alarm, kind="job", name=spec.name)
        if spec.run_on_deploy:
            # Once, on first deploy (not on every code change): e.g. the first signing key
            # must exist before the first signup.
            triggers.Trigger(scope, "OnDeploy", handler=job.function, execute_on_handler_change=False,
                             timeout=Duration.seconds(spec.timeout_seconds + 30), execute_after=[job])
        return job
