"""The task that carries out a personal-data erasure when its grace period ends."""

from atrium.compliance.privacy.erasures import CARRY_OUT, carry_out
from atrium.kernel.consumers import ConsumerSpec, Tasks
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name=CARRY_OUT,
        source=Tasks(),
        handler=carry_out,
        description="Erase a person's personal data in every context once their erasure is due, unless canceled.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.TASKS_SEND, Grant.FILES_LIST, Grant.FILES_WRITE,
                          Grant.FILES_DELETE, Grant.AUDIT_KEY_READ, Grant.AUDIT_CHECKPOINTS_WRITE}),
        batch_size=1,
        timeout_seconds=900,
    ),
]
