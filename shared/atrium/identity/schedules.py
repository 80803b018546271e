"""Identity schedules (``SCHEDULES``)."""

from atrium.identity import signing_keys
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant

SCHEDULES = [
    ScheduleSpec(
        name="identity.rotate_signing_keys",
        expression="rate(7 days)",
        handler=signing_keys.rotate,
        description="Publish a new JWT signing key; drop keys no live token can carry.",
        grants=frozenset({Grant.SIGNING_KEYS_WRITE}),
        run_on_deploy=True,  # the first signup needs a key
    ),
]
