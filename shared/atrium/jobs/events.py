"""Event types the jobs context emits. A job kind's consumer receives both: commands, never delivered to webhooks."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class JobQueued(BaseModel):
    job_id: str
    kind: str


JOB_QUEUED = EventType("job.queued", JobQueued, "A job was started; its kind's consumer runs it.",
                       deliverable=False)
JOB_RETRIED = EventType("job.retried", JobQueued, "A failed job was queued again; its kind's consumer runs it.",
                        deliverable=False)

EVENT_TYPES = [JOB_QUEUED, JOB_RETRIED]
