"""The console's event log: an event counts as relayed only if the relay got it onto the bus, and only the newest
events are kept."""

import json
from collections import OrderedDict
from typing import Any

import pytest

from atrium_local import event_log


@pytest.fixture(autouse=True)
def empty_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_log, "_events", OrderedDict())


def _outbox_record(number: int) -> dict[str, Any]:
    envelope = {"id": f"evt_{number}", "type": "tenant.created", "tenant_id": "ten_1", "occurred_at": "t"}
    return {"eventName": "INSERT", "dynamodb": {"SequenceNumber": str(number), "NewImage": {
        "entity": {"S": "Outbox"}, "tenant_id": {"S": "ten_1"}, "envelope": {"S": json.dumps(envelope)}}}}


def test_records_from_the_first_failed_one_are_not_relayed() -> None:
    records = [_outbox_record(n) for n in range(3)]
    event_log.relayed(records, [{"itemIdentifier": "1"}])
    assert [event.id for event in event_log.events()] == ["evt_0"]
    event_log.relayed(records[1:], [])  # the retry
    assert [event.id for event in event_log.events()] == ["evt_2", "evt_1", "evt_0"]


def test_only_the_newest_events_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_log, "MAX_EVENTS", 2)
    event_log.relayed([_outbox_record(n) for n in range(3)], [])
    assert [event.id for event in event_log.events()] == ["evt_2", "evt_1"]
