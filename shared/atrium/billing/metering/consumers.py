"""The metering consumers: every event a context declares metered (``metered_events.py``) counted once, the API
requests the rate limiter counted, and the tasks that report a tenant's metered usage to Stripe."""

from atrium.billing.metering.api_requests import count_requests
from atrium.billing.metering.events import REQUESTS_COUNTED_EVENT
from atrium.billing.metering.reporting import REPORT_TASK, report_usage
from atrium.billing.metering.usage import count_event, metered_types
from atrium.kernel.consumers import ConsumerSpec, Events, Tasks
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
    ConsumerSpec(
        name="billing.count_api_requests",
        source=Events(types=(REQUESTS_COUNTED_EVENT.name,)),
        handler=count_requests,
        description="Add the API requests the rate limiter counted to the tenant's api_requests meter, each once.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
    ),
    ConsumerSpec(
        name=REPORT_TASK,
        source=Tasks(),
        handler=report_usage,
        description="Send Stripe's meters what a tenant used since the last report, once (docs/billing.md).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.STRIPE_API_KEY_READ}),
        timeout_seconds=120,
        # Stripe unreachable: retried for about an hour (a visibility timeout of 12 minutes), then the DLQ.
        max_receive_count=5,
    ),
]
