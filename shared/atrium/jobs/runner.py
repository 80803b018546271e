"""The consumer that runs a job kind: one per declared kind (its own queue, DLQ, timeout and grants).

An attempt marks the job running and counts it, runs the kind, then stores the result or the error. A failed
attempt re-raises so SQS delivers the message again; the job shows ``queued`` with the error until the last
receive fails, when it shows ``failed``, its kind's ``on_failed`` is told, and the message moves to the DLQ.
Writes are conditional on the job's version, so two deliveries cannot both run it."""

import json
from functools import partial
from typing import Any

from atrium.jobs.events import JOB_QUEUED, JOB_RETRIED, JobQueued
from atrium.jobs.models import JobItem, JobStatus
from atrium.kernel import clock
from atrium.kernel.consumers import ConsumerSpec, EventHandler, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.observability import logger
from atrium.kernel.runtime.delivery import current_delivery

# A result lives in the job item (which must stay well under 400 KB); larger outputs belong in S3.
MAX_RESULT_BYTES = 64 * 1024
MAX_ERROR_CHARS = 1000
RUNNER_GRANTS = frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE})


def consumer_name(kind: JobKind) -> str:
    return f"jobs.{kind.name}"


def consumer_spec(kind: JobKind) -> ConsumerSpec[EventHandler]:
    return ConsumerSpec(
        name=consumer_name(kind),
        source=Events(types=(JOB_QUEUED.name, JOB_RETRIED.name), detail={"data": {"kind": [kind.name]}}),
        handler=partial(run, kind),
        description=f"Run {kind.name} jobs: {kind.description}",
        grants=kind.grants | RUNNER_GRANTS,
        max_receive_count=kind.max_attempts,
        batch_size=1,  # the function's timeout is one job's
        timeout_seconds=kind.timeout_seconds,
        layers=kind.layers,
    )


def _report(job: JobItem, fraction: float, message: str | None) -> None:
    job.progress, job.progress_message = fraction, message
    job.save()


def _bounded(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if result is not None and not isinstance(result, dict):
        raise TypeError(f"a job's result is a JSON object, not {type(result).__name__}")
    if len(json.dumps(result).encode()) > MAX_RESULT_BYTES:
        raise ValueError(f"the job's result is larger than {MAX_RESULT_BYTES} bytes")
    return result


def _error_message(error: Exception) -> str:
    """What the job shows: the exception's message (never its traceback), or its type when it has none."""
    return (str(error) or type(error).__name__)[:MAX_ERROR_CHARS]


def run(kind: JobKind, event: Envelope) -> None:
    queued = JobQueued.model_validate(event.data)
    job = JobItem.load(event.tenant_id, queued.job_id, consistent=True)
    if job.status == JobStatus.SUCCEEDED:  # an operator redrove a message the job no longer needs
        logger.info("job already succeeded", extra={"job_id": job.id})
        return
    job.status, job.attempts = JobStatus.RUNNING.value, job.attempts + 1
    job.started_at, job.finished_at = clock.now(), None
    job.save()
    context = JobContext(tenant_id=job.tenant_id, job_id=job.id, params=dict(job.params), attempt=int(job.attempts),
                         report=partial(_report, job))
    try:
        result = _bounded(kind.run(context))
    except Exception as error:
        last = current_delivery().is_last
        job.status = (JobStatus.FAILED if last else JobStatus.QUEUED).value
        job.error, job.finished_at = _error_message(error), clock.now() if last else None
        job.save()
        if last and kind.on_failed is not None:
            kind.on_failed(context, job.error)
        raise
    job.status, job.result, job.error = JobStatus.SUCCEEDED.value, result, None
    job.progress, job.finished_at = 1.0, clock.now()
    job.save()
