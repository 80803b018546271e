"""A schedule's function: the EventBridge Scheduler payload in, its summary out; the metrics the job puts are
flushed, for its declared alarms (``ScheduleSpec.alarms``)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel import clock
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.observability import logger
from atrium.kernel.runtime.observed import observed


def schedule_handler(spec: ScheduleSpec) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        scheduled = event.get("scheduled_time")
        at = datetime.fromisoformat(scheduled.replace("Z", "+00:00")) if scheduled else clock.now()
        result = spec.handler(at)
        logger.info("job ran", extra={"job": spec.name, "result": result})
        return result

    return observed("job", spec.name, handler, emits_metrics=True)
