"""The one way an Atrium function is made: its own role with only its grants, its own log
group with retention, tracing, the two layers, the shared environment and its alarms."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from cdk_nag import NagPackSuppression, NagSuppressions, RegexAppliesTo
from constructs import Construct

from atrium.kernel.grants import Grant
from infra import sizing
from infra.constructs.observability import FunctionAlarms
from infra.constructs.permissions import GrantTargets, apply_grants
from infra.constructs.tenant_isolation import ROLE_ARN_ENV, TenantDataRole, uses_tenant_data
from infra.paths import FUNCTIONS_DIR

RUNTIME = lambda_.Runtime(f"python{sizing.PYTHON_VERSION}", lambda_.RuntimeFamily.PYTHON)
ARCHITECTURE = {"x86_64": lambda_.Architecture.X86_64, "arm64": lambda_.Architecture.ARM_64}[sizing.ARCHITECTURE]


@dataclass(frozen=True)
class FunctionKit:
    """What every function shares."""

    layers: Sequence[lambda_.ILayerVersion]
    group_layers: Mapping[str, lambda_.ILayerVersion]  # a dependency group's layer, for the functions needing it
    environment: Mapping[str, str]
    targets: GrantTargets
    log_retention: logs.RetentionDays
    tenant_data: TenantDataRole  # what a function holding table grants signs tenant-scoped calls with


def function_code() -> lambda_.Code:
    # A fresh Code per function: an asset binds to one stack, and functions live in several
    # (nested) stacks. Identical content is uploaded once.
    return lambda_.Code.from_asset(str(FUNCTIONS_DIR), exclude=["__pycache__", "*.pyc"])


class AtriumFunction(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, kit: FunctionKit, handler: str, description: str,
                 grants: Iterable[Grant], timeout: Duration, environment: Mapping[str, str] | None = None,
                 layers: Iterable[str] = (), function_name: str | None = None) -> None:
        super().__init__(scope, construct_id)
        grants = frozenset(grants)
        tenant_data = kit.tenant_data if uses_tenant_data(grants) else None
        self.log_group = logs.LogGroup(self, "Logs", retention=kit.log_retention)
        # An explicit role instead of the default one: no AWSLambdaBasicExecutionRole (which may
        # write to any log group), only this function's log group and its declared grants.
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                             description=f"Atrium function: {description}"[:1000],
                             path=tenant_data.path if tenant_data else None)
        self.function = lambda_.Function(
            self, "Function",
            runtime=RUNTIME, architecture=ARCHITECTURE, memory_size=sizing.MEMORY_MB, timeout=timeout,
            code=function_code(), handler=handler, layers=[*kit.layers, *(kit.group_layers[name] for name in layers)],
            environment={**kit.environment, **({ROLE_ARN_ENV: tenant_data.arn} if tenant_data else {}),
                         **(environment or {})},
            role=self.role, log_group=self.log_group, tracing=lambda_.Tracing.ACTIVE,
            description=description[:256], function_name=function_name,
        )
        self.log_group.grant_write(self.role)
        apply_grants(self.role, grants, kit.targets)
        if tenant_data:
            self.role.add_to_principal_policy(tenant_data.assume_statement())
        self.alarms = FunctionAlarms(self, "Alarms", function=self.function)
        NagSuppressions.add_resource_suppressions(self.function, [NagPackSuppression(
            id="AwsSolutions-L1", reason="ARCHITECTURE.md fixes the Lambda runtime at python3.12 (the layers are "
                                         "built for it); moving to a newer runtime is a deliberate project decision.")])
        NagSuppressions.add_resource_suppressions(self.role, [NagPackSuppression(
            id="AwsSolutions-IAM5", applies_to=["Resource::*"],
            reason="Only actions without resource-level permissions use '*': X-Ray trace upload (tracing is on "
                   "for every function) and dynamodb:ListStreams (the stream event source of the relay).")],
            apply_to_children=True)
        NagSuppressions.add_resource_suppressions(self.role, [NagPackSuppression(
            id="AwsSolutions-IAM5",
            applies_to=[RegexAppliesTo(regex=r"/^Resource::<Storage\w+\.Arn>\/(tenants\/)?\*$/")],
            reason="S3 object actions name the objects of one Atrium bucket; the keys (per tenant, per checkpoint "
                   "or export) are only known at run time.")], apply_to_children=True)
        NagSuppressions.add_resource_suppressions(self.role, [NagPackSuppression(
            id="AwsSolutions-IAM5",
            applies_to=[RegexAppliesTo(regex=r"/^Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:"
                                             r"<AWS::AccountId>:schedule\/atrium-[\w-]+-tasks\/\*$/")],
            reason="scheduler:CreateSchedule (Grant.TASKS_SEND) names the schedules of the one task schedule group; "
                   "a delayed task's schedule is named by a digest of its key, known only at run time.")],
            apply_to_children=True)
        NagSuppressions.add_resource_suppressions(self.role, [NagPackSuppression(
            id="AwsSolutions-IAM5",
            applies_to=[RegexAppliesTo(regex=r"/^Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:"
                                             r"<AWS::AccountId>:function:atrium-[\w-]+-runner-\*$/")],
            reason="lambda:InvokeFunction (Grant.RUNNERS_INVOKE) names the stage's runner functions by their prefix; "
                   "a caller finds a runner by its name.")], apply_to_children=True)
