"""DynamoDB keeps a table's stream records 24 hours; moto keeps them for ever. A kept local stack relays its
tables' streams from their start after every restart, and its consumers remember processed events for 7 days
(their idempotency records): records older than that would run again. Trimming to DynamoDB's retention when the data
folder is compacted keeps the stream what AWS would hold."""

from datetime import datetime, timedelta

from moto.backends import get_backend
from moto.core.utils import utcnow

RETENTION = timedelta(hours=24)


def trim_streams(now: datetime | None = None) -> int:
    """Drop every stream record older than the retention from every table; how many were dropped. Sequence numbers
    stay as they were: the shard's start moves past the records dropped."""
    oldest = (now or utcnow()) - RETENTION
    dropped = 0
    for account in get_backend("dynamodb").values():
        for backend in account.values():
            for table in backend.tables.values():
                shard = getattr(table, "stream_shard", None)
                if shard is None:
                    continue
                stale = sum(1 for record in shard.items
                            if record.record["dynamodb"]["ApproximateCreationDateTime"] < oldest)
                shard.items = shard.items[stale:]  # appended in time order: the stale ones lead
                shard.starting_sequence_number += stale
                dropped += stale
    return dropped
