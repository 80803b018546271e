"""The metering consumer: every event a context declares metered (``metered_events.py``), counted once."""

from atrium.billing.metering.usage import count_event, metered_types
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name="billing.count_usage",
        source=Events(types=metered_types()),
        handler=count_event,
        description="Add each metered event (proofs created, bytes stored) to the tenant's usage counters, once "
                    "per event id.",
        grants=frozenset({Grant.TABLE_WRITE}),
    ),
]
