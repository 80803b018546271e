from typing import Any

from atrium.kernel.events.relay import RELAY_FILTER, inserted_entity, relay


def _record(event_name: str, entity: str) -> dict[str, Any]:
    return {"eventName": event_name, "dynamodb": {"NewImage": {"entity": {"S": entity}}}}


def test_only_outbox_and_audit_inserts_are_relayed() -> None:
    assert inserted_entity(_record("INSERT", "Outbox")) == "Outbox"
    assert inserted_entity(_record("INSERT", "Audit")) == "Audit"
    assert inserted_entity(_record("MODIFY", "Outbox")) is None
    assert inserted_entity(_record("MODIFY", "Audit")) is None  # chaining an entry wakes nobody
    assert inserted_entity(_record("INSERT", "Tenant")) is None
    assert inserted_entity({"eventName": "REMOVE", "dynamodb": {}}) is None


def test_the_stream_filter_says_the_same_thing() -> None:
    assert RELAY_FILTER["eventName"] == ["INSERT"]
    assert RELAY_FILTER["dynamodb"]["NewImage"]["entity"]["S"] == ["Outbox", "Audit"]


def test_the_relay_passes_over_records_it_does_not_relay() -> None:
    removed = {"eventName": "REMOVE", "dynamodb": {"Keys": {}, "OldImage": {"entity": {"S": "Audit"}}}}
    modified = {"eventName": "MODIFY", "dynamodb": {"NewImage": {"entity": {"S": "Audit"}}}}
    assert relay({"Records": [removed, modified]}, client=None) == {"batchItemFailures": []}
