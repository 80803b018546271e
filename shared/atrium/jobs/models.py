"""Job items: ``T#<tenant>#Job#<id>``, listed newest first under ``T#<tenant>#Job``."""

from enum import StrEnum

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.protection import personal


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for its first attempt, or for the next after a failed one
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed; its message is in the kind's DLQ


class JobItem(TenantEntity, discriminator="Job"):
    kind = UnicodeAttribute()
    # The kind's permission when the job started: who may retry it (and read it without having started it).
    permission = UnicodeAttribute()
    status = UnicodeAttribute(default=JobStatus.QUEUED.value)
    # A job's parameters and result may name a person (whose data an export holds): ciphertext in the table.
    params = personal(JSONAttribute(default=dict))
    progress = NumberAttribute(default=0.0)
    progress_message = UnicodeAttribute(null=True)
    result = personal(JSONAttribute(null=True))
    error = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    created_by = UnicodeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
