"""Opaque pagination cursors, authenticated and bound to the tenant and the query.

A cursor is ``base64url(json) . base64url(hmac)``; the HMAC covers the tenant and a
fingerprint of the query, so a cursor cannot be forged, edited, or replayed against another
tenant or another query.
"""

import base64
import hashlib
import hmac
import json
from typing import Any

from atrium.kernel.config import settings
from atrium.kernel.errors import BadRequest
from atrium.kernel.secrets import read_secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: bytes, tenant_id: str, query: str) -> bytes:
    key = read_secret(settings().cursor_secret_id).encode()
    return hmac.new(key, b"\n".join([tenant_id.encode(), query.encode(), payload]), hashlib.sha256).digest()


def encode_cursor(last_key: dict[str, Any], *, tenant_id: str, query: str) -> str:
    payload = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(payload)}.{_b64(_signature(payload, tenant_id, query))}"


def decode_cursor(cursor: str, *, tenant_id: str, query: str) -> dict[str, Any]:
    invalid = BadRequest("the cursor is invalid for this query",
                         errors=[{"field": "cursor", "message": "not a cursor issued for this list"}])
    try:
        payload_text, signature_text = cursor.split(".")
        payload, signature = _unb64(payload_text), _unb64(signature_text)
    except ValueError:
        raise invalid from None
    if not hmac.compare_digest(signature, _signature(payload, tenant_id, query)):
        raise invalid
    try:
        decoded = json.loads(payload)
    except ValueError:
        raise invalid from None
    if not isinstance(decoded, dict):
        raise invalid
    return decoded
