"""A webhook receiver on the local API, to point webhook endpoints at: ``POST /_local/receiver/{name}`` records
each delivery and checks its signature as a subscriber would (the Standard Webhooks library), against the secret
registered for that name with ``PUT /_local/receiver/{name}/secret``. The console lists what arrived."""

import base64
import binascii
import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from atrium.kernel import clock

MAX_DELIVERIES = 200
VALID, INVALID, UNCHECKED = "valid", "invalid", "unchecked"
NO_SECRET = "no secret registered"

Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Any name, one per receiver")]


@dataclass(frozen=True)
class Delivery:
    receiver: str
    received_at: str
    headers: dict[str, str]
    body: str
    signature: str  # VALID, INVALID or UNCHECKED
    reason: str | None  # why it is not valid


class SecretBody(BaseModel):
    secret: str = Field(description="The endpoint's signing secret (whsec_...)")

    @field_validator("secret")
    @classmethod
    def _standard_webhooks_secret(cls, secret: str) -> str:
        try:
            key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except binascii.Error:
            key = b""
        if not secret.startswith("whsec_") or not key:
            raise ValueError("a Standard Webhooks secret: whsec_ followed by base64")
        return secret


_lock = threading.Lock()
_secrets: dict[str, str] = {}
_deliveries: deque[Delivery] = deque(maxlen=MAX_DELIVERIES)


def deliveries() -> list[Delivery]:
    """Every receiver's deliveries, newest first (the last ``MAX_DELIVERIES``)."""
    with _lock:
        return list(_deliveries)


def registered() -> list[str]:
    """The receivers with a secret."""
    with _lock:
        return sorted(_secrets)


def _check(secret: str | None, body: bytes, headers: dict[str, str]) -> tuple[str, str | None]:
    if secret is None:
        return UNCHECKED, NO_SECRET
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except (WebhookVerificationError, ValueError) as error:  # malformed headers or body raise ValueError
        return INVALID, str(error) or type(error).__name__
    return VALID, None


router = APIRouter(prefix="/_local/receiver", include_in_schema=False)


@router.put("/{name}/secret", status_code=204)
def register_secret(name: Name, body: SecretBody) -> Response:
    """Check this receiver's deliveries against ``secret`` from now on."""
    with _lock:
        _secrets[name] = body.secret
    return Response(status_code=204)


@router.post("/{name}")
async def receive(name: Name, request: Request) -> JSONResponse:
    """Record a delivery. A bad signature is refused (401), as a subscriber would refuse it, so the sender's
    message log shows it too."""
    body = await request.body()
    headers = {key.lower(): value for key, value in request.headers.items()}
    with _lock:
        secret = _secrets.get(name)
    signature, reason = _check(secret, body, headers)
    delivery = Delivery(name, clock.iso(clock.now()), headers, body.decode(errors="replace"), signature, reason)
    with _lock:
        _deliveries.appendleft(delivery)
    answer: dict[str, Any] = {"signature": signature, "reason": reason}
    return JSONResponse(answer, status_code=401 if signature == INVALID else 200)


@router.get("/{name}")
def received(name: Name) -> list[dict[str, Any]]:
    """This receiver's deliveries, newest first."""
    return [asdict(delivery) for delivery in deliveries() if delivery.receiver == name]
