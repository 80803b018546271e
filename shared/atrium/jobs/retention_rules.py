"""How long finished jobs are kept (``RETENTION_RULES``): their parameters and results may name a person."""

from datetime import datetime

from atrium.jobs.models import JobItem, JobStatus
from atrium.kernel import ids
from atrium.kernel.retention import RetentionRule
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

FINISHED = {JobStatus.SUCCEEDED.value, JobStatus.FAILED.value}


def purge_finished_jobs(tenant_id: str, before: datetime) -> int:
    """Delete the jobs that finished before ``before``: one Query of those started earlier (ids sort by time), then
    batched deletes. A queued or running job is kept, however old."""
    started_earlier = JobItem.gsi1.query(keys.collection_pk(tenant_id, JobItem.type_name()),
                                         Item.gsi1sk < ids.first_id_at("job", before))
    ended = [job for job in started_earlier if isinstance(job, JobItem) and job.status in FINISHED
             and job.finished_at is not None and job.finished_at < before]
    with JobItem.batch_write() as batch:
        for job in ended:
            batch.delete(job)
    return len(ended)


RETENTION_RULES = [
    RetentionRule(name="jobs.finished", description="Finished jobs (succeeded or failed): their parameters, results "
                                                    "and errors, counted from when they finished.",
                  minimum_days=7, default_days=365, maximum_days=3650, purge=purge_finished_jobs),
]
