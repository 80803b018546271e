"""Endpoints' signing secrets: minted in the Standard Webhooks format and sealed at rest.

A secret must be read back to sign, so it cannot be only hashed: it is sealed (Fernet) with a key derived
per tenant from the webhook key in Secrets Manager, so whoever reads the table sees only ciphertext, and a
sealed secret copied to another tenant's item does not open.
"""

import base64
import secrets
from datetime import datetime

from cryptography.fernet import Fernet

from atrium.kernel.config import settings
from atrium.kernel.sealing import sealer
from atrium.kernel.secrets import read_secret
from atrium.webhooks.models import SealedSecret, WebhookEndpointItem

PREFIX = "whsec_"
_KEY_BYTES = 24


def mint() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode()


def key_of(secret: str) -> bytes:
    """The HMAC key a secret stands for: the base64 after ``whsec_``."""
    return base64.b64decode(secret.removeprefix(PREFIX))


def _sealer(tenant_id: str) -> Fernet:
    return sealer(read_secret(settings().webhook_secret_id), purpose=f"webhook endpoint secret\0{tenant_id}")


def seal(tenant_id: str, secret: str) -> SealedSecret:
    return SealedSecret(sealed=_sealer(tenant_id).encrypt(secret.encode()).decode())  # type: ignore[no-untyped-call]


def current(endpoint: WebhookEndpointItem) -> str:
    return _sealer(endpoint.tenant_id).decrypt(endpoint.secrets[-1].sealed.encode()).decode()


def live(endpoint: WebhookEndpointItem, at: datetime) -> list[str]:
    """The secrets that sign at ``at``: the current one and, during its grace period, the one it replaced."""
    opener = _sealer(endpoint.tenant_id)
    return [opener.decrypt(s.sealed.encode()).decode() for s in endpoint.secrets
            if s.valid_until is None or at < s.valid_until]
