"""Signatures in the Standard Webhooks format (https://www.standardwebhooks.com/).

``webhook-signature`` is ``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``, once per live secret,
separated by spaces: during a rotation's grace period a receiver holding either secret verifies.
"""

import base64
import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime

from atrium.kernel import clock
from atrium.webhooks import endpoint_secrets
from atrium.webhooks.models import WebhookEndpointItem


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(endpoint_secrets.key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets: Sequence[str], msg_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
    seconds = int(timestamp.timestamp())
    return {"webhook-id": msg_id, "webhook-timestamp": str(seconds),
            "webhook-signature": " ".join(signature(secret, msg_id, seconds, body) for secret in secrets)}


def sign(endpoint: WebhookEndpointItem, msg_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
    """The headers that sign ``body`` for ``endpoint`` with each secret live now."""
    return headers(endpoint_secrets.live(endpoint, clock.now()), msg_id, timestamp, body)
