"""A runner's function (kernel/runners.py): its JSON request in, its JSON answer out."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.runners import RunnerSpec
from atrium.kernel.runtime.observed import observed


def runner_handler(spec: RunnerSpec) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    def handler(event: dict[str, Any], _context: LambdaContext) -> dict[str, Any]:
        return spec.handler(event)

    return observed("runner", spec.name, handler)
