from typing import Any

from atrium.kernel.events.relay import OUTBOX_INSERT_FILTER, is_outbox_insert


def _record(event_name: str, entity: str) -> dict[str, Any]:
    return {"eventName": event_name, "dynamodb": {"NewImage": {"entity": {"S": entity}}}}


def test_only_outbox_inserts_are_relayed() -> None:
    assert is_outbox_insert(_record("INSERT", "Outbox"))
    assert not is_outbox_insert(_record("MODIFY", "Outbox"))
    assert not is_outbox_insert(_record("INSERT", "Tenant"))
    assert not is_outbox_insert({"eventName": "REMOVE", "dynamodb": {}})


def test_the_stream_filter_says_the_same_thing() -> None:
    assert OUTBOX_INSERT_FILTER["eventName"] == ["INSERT"]
    assert OUTBOX_INSERT_FILTER["dynamodb"]["NewImage"]["entity"]["S"] == ["Outbox"]
