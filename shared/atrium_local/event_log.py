"""What the local worker did with each event, for the console: when the relay put it on the bus, and each
consumer's outcome. In memory and bounded (the newest events), as it is a view for a developer, not a record."""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from atrium.kernel import clock
from atrium.kernel.consumers import ConsumerSpec
from atrium.kernel.events.outbox import OUTBOX_ENTITY
from atrium.kernel.events.relay import envelope_of, inserted_entity
from atrium_local.dlq import summary

MAX_EVENTS = 500
SUCCEEDED, FAILED, DEAD_LETTERED = "succeeded", "failed", "in DLQ"


@dataclass(frozen=True)
class Outcome:
    status: str
    receives: int  # the message's receives so far: above one, it is a retry
    at: str


@dataclass
class LoggedEvent:
    id: str
    type: str
    tenant_id: str | None
    occurred_at: str | None
    relayed_at: str | None = None  # None: seen only at a consumer (an event the relay makes itself)
    consumers: dict[str, Outcome] = field(default_factory=dict)


_lock = threading.Lock()
_events: "OrderedDict[str, LoggedEvent]" = OrderedDict()


def _logged(event_id: str, event_type: str, tenant_id: str | None, occurred_at: str | None) -> LoggedEvent:
    """The event's entry, made the newest when first seen (the oldest goes past ``MAX_EVENTS``); under the lock."""
    if event_id not in _events:
        _events[event_id] = LoggedEvent(event_id, event_type, tenant_id, occurred_at)
        while len(_events) > MAX_EVENTS:
            _events.popitem(last=False)
    return _events[event_id]


def relayed(records: list[dict[str, Any]], failures: list[dict[str, str]]) -> None:
    """The outbox items of a stream batch the relay put on the bus: those before its first failed record."""
    failed = failures[0]["itemIdentifier"] if failures else None
    with _lock:
        for record in records:
            if record["dynamodb"]["SequenceNumber"] == failed:
                break
            if inserted_entity(record) != OUTBOX_ENTITY:
                continue
            envelope = json.loads(envelope_of(record["dynamodb"]["NewImage"]))
            event = _logged(envelope["id"], envelope["type"], envelope.get("tenant_id"), envelope.get("occurred_at"))
            event.relayed_at = event.relayed_at or clock.iso(clock.now())


def consumed(spec: ConsumerSpec[Any], messages: list[dict[str, Any]], failed: set[str]) -> None:
    """A consumer's batch: each event in it succeeded, or failed (to be retried, or past its last receive moved
    to the DLQ). Messages that are not events (tasks, notifications) are left out."""
    with _lock:
        for message in messages:
            seen = summary(message)
            if seen.get("event_id") is None:
                continue
            receives = int(seen["receive_count"] or 1)
            status = SUCCEEDED if message["MessageId"] not in failed else (
                DEAD_LETTERED if receives >= spec.max_receive_count else FAILED)
            event = _logged(seen["event_id"], seen["type"], seen["tenant_id"], None)
            event.consumers[spec.name] = Outcome(status, receives, clock.iso(clock.now()))


def events() -> list[LoggedEvent]:
    """The logged events, newest first (copies: the worker goes on updating them)."""
    with _lock:
        return [replace(event, consumers=dict(event.consumers)) for event in reversed(_events.values())]
