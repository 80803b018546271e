"""The task that encrypts a tenant's items again after a rotation."""

from atrium.compliance.keys.reencryption import REENCRYPT, reencrypt
from atrium.kernel.consumers import ConsumerSpec, Tasks
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name=REENCRYPT,
        source=Tasks(),
        handler=reencrypt,
        description="Encrypt a tenant's protected fields again under its newest data key, a page at a time.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND}),
        batch_size=1,
    ),
]
