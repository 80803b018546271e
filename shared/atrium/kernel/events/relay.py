"""The stream relay: outbox items from the table stream -> the event bus.

An outbox item's envelope is ciphertext under its tenant's data key (``outbox``): the relay opens it in the tenant's
scope (its session reads the tenant's keys; on a warm key cache, nothing is called). A record that does not open
fails the batch, which Lambda splits and retries until the record alone is set aside in the DLQ.

New audit entries wake the audit chainer: for each tenant with entries in a batch, the relay puts
one ``audit.entries_written`` event on the bus (the entries wait, pending, until it runs). The rate limiter's
windows become metering's ``billing.requests_counted``: one event per tenant in a batch (``request_counts``).

Entries go to EventBridge ten at a time (its limit). If an entry fails, the relay reports the
first failed record, so Lambda retries the stream from there (later records may be sent
twice; consumers are idempotent on the event id).
"""

from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError

from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import EVENT_SOURCE, Envelope, Ref
from atrium.kernel.events.outbox import OUTBOX_ENTITY, OutboxItem
from atrium.kernel.events.request_counts import REQUESTS_COUNTED, REQUESTS_FILTER, highest_counts, window_count
from atrium.kernel.observability import logger, metrics
from atrium.kernel.runtime.observed import observed
from atrium.kernel.store.audit import AUDIT_ENTITY, ENTRIES_WRITTEN
from atrium.kernel.store.field_encryption import open_fields
from atrium.kernel.tenancy import tenant_scope

PUT_EVENTS_LIMIT = 10
# The stream filters the event source mapping applies (CDK; a record matching any passes); the relay checks them
# again.
RELAY_FILTERS: tuple[dict[str, Any], ...] = (
    {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"entity": {"S": [OUTBOX_ENTITY, AUDIT_ENTITY]}}}},
    REQUESTS_FILTER,
)


def inserted_entity(record: dict[str, Any]) -> str | None:
    """The entity of a relayed insert (an outbox item or an audit entry); None for anything else."""
    image = record.get("dynamodb", {}).get("NewImage", {})
    entity = image.get("entity", {}).get("S")
    relayed = record.get("eventName") == "INSERT" and entity in (OUTBOX_ENTITY, AUDIT_ENTITY)
    return entity if relayed else None


def _bus_entries(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Each stream record that becomes a bus entry, with it, in the batch's order: every outbox item, the first
    audit entry of each tenant in the batch, and each tenant's first rate window record (its requests counted in
    all the batch: a retry from a later record leaves none of them behind)."""
    woken: set[str] = set()
    requests = highest_counts(records)
    entries = []
    for record in records:
        if (counted := window_count(record)) is not None and (windows := requests.pop(counted[0], None)):
            entries.append((record, _entry(REQUESTS_COUNTED, _requests_counted(counted[0], windows))))
        entity = inserted_entity(record)
        if entity is None:
            continue
        image = record["dynamodb"]["NewImage"]
        if entity == OUTBOX_ENTITY:
            entries.append((record, _entry(image["event_type"]["S"], envelope_of(image))))
        elif entity == AUDIT_ENTITY and (tenant_id := image["tenant_id"]["S"]) not in woken:
            woken.add(tenant_id)
            entries.append((record, _entry(ENTRIES_WRITTEN, _wake_chainer(tenant_id).model_dump_json())))
    return entries


def envelope_of(image: dict[str, Any]) -> str:
    """The outbox item's envelope (JSON), opened under its tenant's data key."""
    with tenant_scope(image["tenant_id"]["S"]):
        envelope: str = open_fields(OutboxItem, image)["envelope"]["S"]
        return envelope


def _entry(detail_type: str, detail: str) -> dict[str, str]:
    return {"Source": EVENT_SOURCE, "DetailType": detail_type, "Detail": detail, "EventBusName": settings().bus_name}


def _wake_chainer(tenant_id: str) -> Envelope:
    return _relay_event(ENTRIES_WRITTEN, tenant_id, Ref(type="audit_chain", id=tenant_id), {})


def _requests_counted(tenant_id: str, windows: dict[int, int]) -> str:
    data = {"windows": {str(start): count for start, count in sorted(windows.items())}}
    return _relay_event(REQUESTS_COUNTED, tenant_id, Ref(type="tenant", id=tenant_id), data).model_dump_json()


def _relay_event(event_type: str, tenant_id: str, subject: Ref, data: dict[str, Any]) -> Envelope:
    return Envelope(id=ids.new_id("evt"), type=event_type, tenant_id=tenant_id, occurred_at=clock.now(),
                    actor=Ref(type="service", id="relay"), subject=subject, data=data)


def relay(event: dict[str, Any], client: Any) -> dict[str, list[dict[str, str]]]:
    pending = _bus_entries(event.get("Records", []))
    for start in range(0, len(pending), PUT_EVENTS_LIMIT):
        chunk = pending[start:start + PUT_EVENTS_LIMIT]
        try:
            results = client.put_events(Entries=[entry for _, entry in chunk])["Entries"]
        except (ClientError, BotoCoreError):  # a timeout fails the chunk as an error response does
            logger.exception("put_events failed")
            return _retry_from(chunk[0][0])
        for (record, _), result in zip(chunk, results, strict=True):
            if "ErrorCode" in result:
                logger.warning("event not published", extra={"error": result["ErrorCode"]})
                return _retry_from(record)
        metrics.add_metric("EventsRelayed", MetricUnit.Count, len(chunk))
    return {"batchItemFailures": []}


def _relay_with_client(event: dict[str, Any], _context: Any) -> dict[str, list[dict[str, str]]]:
    return relay(event, _events_client())


handler = observed("relay", "outbox", _relay_with_client, emits_metrics=True)


@lru_cache(maxsize=1)
def _events_client() -> Any:
    return boto3.client("events", region_name=settings().region)


def _retry_from(record: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return {"batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}
