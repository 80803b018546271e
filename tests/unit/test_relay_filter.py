import json
from typing import Any

from atrium.kernel.events.relay import RELAY_FILTERS, inserted_entity, relay


def _record(event_name: str, entity: str) -> dict[str, Any]:
    return {"eventName": event_name, "dynamodb": {"NewImage": {"entity": {"S": entity}}}}


def test_only_outbox_and_audit_inserts_are_relayed() -> None:
    assert inserted_entity(_record("INSERT", "Outbox")) == "Outbox"
    assert inserted_entity(_record("INSERT", "Audit")) == "Audit"
    assert inserted_entity(_record("MODIFY", "Outbox")) is None
    assert inserted_entity(_record("MODIFY", "Audit")) is None  # chaining an entry wakes nobody
    assert inserted_entity(_record("INSERT", "Tenant")) is None
    assert inserted_entity({"eventName": "REMOVE", "dynamodb": {}}) is None


def test_the_stream_filters_say_the_same_thing() -> None:
    inserts, windows = RELAY_FILTERS
    assert inserts["eventName"] == ["INSERT"]
    assert inserts["dynamodb"]["NewImage"]["entity"]["S"] == ["Outbox", "Audit"]
    assert windows["eventName"] == ["INSERT", "MODIFY"]
    assert windows["dynamodb"]["NewImage"]["entity"]["S"] == ["RateWindow"]


def test_the_relay_passes_over_records_it_does_not_relay() -> None:
    removed = {"eventName": "REMOVE", "dynamodb": {"Keys": {}, "OldImage": {"entity": {"S": "Audit"}}}}
    modified = {"eventName": "MODIFY", "dynamodb": {"NewImage": {"entity": {"S": "Audit"}}}}
    assert relay({"Records": [removed, modified]}, client=None) == {"batchItemFailures": []}


def _window(event_name: str, tenant_id: str, start: int, count: int, sequence: str) -> dict[str, Any]:
    return {"eventName": event_name, "dynamodb": {"SequenceNumber": sequence, "NewImage": {
        "pk": {"S": f"T#{tenant_id}#RateWindow#{start}"}, "entity": {"S": "RateWindow"},
        "requests": {"N": str(count)}, f"p_usr_{count}": {"N": "1"}}}}


def _outbox(sequence: str) -> dict[str, Any]:
    return {"eventName": "INSERT", "dynamodb": {"SequenceNumber": sequence, "NewImage": {
        "entity": {"S": "Outbox"}, "tenant_id": {"S": "ten_1"}, "event_type": {"S": "proof.created"},
        "envelope": {"S": "{}"}}}}


class Bus:
    """Answers put_events, failing the entries whose detail type is in ``failing``."""

    def __init__(self, failing: tuple[str, ...] = ()) -> None:
        self.failing = failing
        self.sent: list[dict[str, str]] = []

    def put_events(self, Entries: list[dict[str, str]]) -> dict[str, Any]:
        self.sent += Entries
        return {"Entries": [{"ErrorCode": "x"} if entry["DetailType"] in self.failing else {"EventId": "e"}
                            for entry in Entries]}


def test_window_counts_become_one_event_per_tenant_with_each_windows_highest_count() -> None:
    records = [_window("INSERT", "ten_a", 600, 1, "1"), _window("MODIFY", "ten_b", 600, 4, "2"),
               _window("MODIFY", "ten_a", 600, 3, "3"), _window("MODIFY", "ten_a", 660, 2, "4"),
               _window("MODIFY", "ten_a", 600, 2, "5"),  # older than "3", seen after it
               {"eventName": "REMOVE", "dynamodb": {"SequenceNumber": "6"}}]
    bus = Bus()
    assert relay({"Records": records}, client=bus) == {"batchItemFailures": []}
    counted = {(event := json.loads(entry["Detail"]))["tenant_id"]: event["data"]["windows"] for entry in bus.sent}
    assert [entry["DetailType"] for entry in bus.sent] == ["billing.requests_counted"] * 2
    assert counted == {"ten_a": {"600": 3, "660": 2}, "ten_b": {"600": 4}}


def test_a_failed_count_is_retried_from_the_tenants_first_window_record() -> None:
    """A tenant's event covers its windows in the whole batch: if the bus refuses it, the retry starts at the
    tenant's first window record, so none of its counts is left behind."""
    records = [_outbox("1"), _window("INSERT", "ten_a", 600, 1, "2"), _outbox("3"),
               _window("MODIFY", "ten_a", 600, 2, "4")]
    assert relay({"Records": records}, client=Bus(failing=("billing.requests_counted",))) == {
        "batchItemFailures": [{"itemIdentifier": "2"}]}
