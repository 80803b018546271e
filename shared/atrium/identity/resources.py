"""Identity's resources."""

import json

from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, Initial, Secret

RESOURCES = [
    Secret(name="signing-keys", description="Atrium JWT signing keys (managed by identity.rotate_signing_keys)",
           setting="signing_secret_id", value=Initial(json.dumps({"keys": []})),
           grants={Grant.SIGNING_KEYS_READ: Access.READ, Grant.SIGNING_KEYS_WRITE: Access.READ | Access.WRITE},
           not_rotated="Rotated by the scheduled job identity.rotate_signing_keys (EventBridge Scheduler), which keeps "
                       "old keys published for overlap; a Secrets Manager rotation Lambda would bypass that overlap "
                       "logic."),
]
