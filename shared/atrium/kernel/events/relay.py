"""The stream relay: outbox items from the table stream -> the event bus.

Entries go to EventBridge ten at a time (its limit). If an entry fails, the relay reports the
first failed record, so Lambda retries the stream from there (later records may be sent
twice; consumers are idempotent on the event id).
"""

from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError

from atrium.kernel.config import settings
from atrium.kernel.events.envelope import EVENT_SOURCE
from atrium.kernel.events.outbox import OUTBOX_ENTITY
from atrium.kernel.observability import logger, metrics
from atrium.kernel.runtime.observed import observed

PUT_EVENTS_LIMIT = 10
# The stream filter the event source mapping applies (CDK); the relay checks it again.
OUTBOX_INSERT_FILTER: dict[str, Any] = {
    "eventName": ["INSERT"], "dynamodb": {"NewImage": {"entity": {"S": [OUTBOX_ENTITY]}}},
}


def is_outbox_insert(record: dict[str, Any]) -> bool:
    image = record.get("dynamodb", {}).get("NewImage", {})
    return record.get("eventName") == "INSERT" and image.get("entity", {}).get("S") == OUTBOX_ENTITY


def relay(event: dict[str, Any], client: Any) -> dict[str, list[dict[str, str]]]:
    records = [r for r in event.get("Records", []) if is_outbox_insert(r)]
    for start in range(0, len(records), PUT_EVENTS_LIMIT):
        chunk = records[start:start + PUT_EVENTS_LIMIT]
        entries = [
            {"Source": EVENT_SOURCE, "DetailType": image["event_type"]["S"], "Detail": image["envelope"]["S"],
             "EventBusName": settings().bus_name}
            for image in (record["dynamodb"]["NewImage"] for record in chunk)
        ]
        try:
            results = client.put_events(Entries=entries)["Entries"]
        except (ClientError, BotoCoreError):  # a timeout fails the chunk as an error response does
            logger.exception("put_events failed")
            return _retry_from(chunk[0])
        for record, result in zip(chunk, results, strict=True):
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
