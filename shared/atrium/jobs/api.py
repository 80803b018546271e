"""Jobs' public face: how another context starts a job in its own unit of work and follows it."""

from atrium.jobs.schemas import JobOut
from atrium.jobs.service import enqueue, get_job, job_location

__all__ = ["JobOut", "enqueue", "get_job", "job_location"]
