"""Identity's resources: the JWT signing keys, and the key users' TOTP secrets are sealed with."""

import json

from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, Generated, Initial, Secret

RESOURCES = [
    Secret(name="signing-keys", description="Atrium JWT signing keys (managed by identity.rotate_signing_keys)",
           setting="signing_secret_id", value=Initial(json.dumps({"keys": []})),
           grants={Grant.SIGNING_KEYS_READ: Access.READ, Grant.SIGNING_KEYS_WRITE: Access.READ | Access.WRITE},
           not_rotated="Rotated by the scheduled job identity.rotate_signing_keys (EventBridge Scheduler), which keeps "
                       "old keys published for overlap; a Secrets Manager rotation Lambda would bypass that overlap "
                       "logic."),
    Secret(name="mfa-key", description="Atrium key that seals users' TOTP secrets", setting="mfa_secret_id",
           value=Generated(), grants={Grant.MFA_KEY_READ: Access.READ},
           not_rotated="Rotating the MFA key would leave every sealed TOTP secret unreadable and its user unable to "
                       "sign in; users re-enrol their authenticators instead."),
]
