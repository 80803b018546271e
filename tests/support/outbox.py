"""The outbox as a test reads it: its items with their envelopes opened (the table holds them encrypted)."""

from typing import Any

from atrium.kernel.events.relay import envelope_of
from tests.support.invitations import table_items


def outbox_items() -> list[dict[str, Any]]:
    return [item | {"envelope": {"S": envelope_of(item)}} for item in table_items("Outbox")]
