"""Runners (kernel/runners.py): one function each, named from the stage so callers find it by name, and the
statement that lets a caller holding ``Grant.RUNNERS_INVOKE`` call them."""

from collections.abc import Sequence

from aws_cdk import ArnFormat, Duration, Stack
from constructs import Construct

from atrium.kernel.grants import Grant
from atrium.kernel.runners import RunnerSpec, function_name
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.constructs.permissions import Statement
from infra.naming import pascal


def runner_function_prefix(stage: str) -> str:
    """What runner function names start with (``ATRIUM_RUNNER_FUNCTION_PREFIX``)."""
    return f"atrium-{stage}-runner-"


def invoke_statement(scope: Construct, stage: str) -> tuple[Grant, Statement]:
    functions = Stack.of(scope).format_arn(service="lambda", resource="function",
                                           arn_format=ArnFormat.COLON_RESOURCE_NAME,
                                           resource_name=f"{runner_function_prefix(stage)}*")
    return Grant.RUNNERS_INVOKE, Statement(("lambda:InvokeFunction",), (functions,))


class Runners(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, kit: FunctionKit, stage: str,
                 runners: Sequence[RunnerSpec]) -> None:
        super().__init__(scope, construct_id)
        self.functions = {spec.name: AtriumFunction(
            self, pascal(spec.name), kit=kit, handler="runner.handler", description=spec.description,
            grants=spec.grants, timeout=Duration.seconds(spec.timeout_seconds), layers=spec.layers,
            environment={"ATRIUM_RUNNER": spec.name},
            function_name=function_name(runner_function_prefix(stage), spec)) for spec in runners}
