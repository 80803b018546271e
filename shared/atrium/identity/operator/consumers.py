"""Operator consumers: work an operator started that visits every tenant."""

from atrium.identity.operator.tenants import ROTATE_ALL, rotate_data_keys_of_all
from atrium.kernel.consumers import ConsumerSpec, Tasks
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name=ROTATE_ALL,
        source=Tasks(tenant_bound=False),  # it visits every tenant
        handler=rotate_data_keys_of_all,
        description="Rotate every tenant's data key (each then encrypts its items again), for an operator.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND}),
        batch_size=1,
        timeout_seconds=900,  # a retry after a failure rotates again the keys rotated before it: harmless
    ),
]
