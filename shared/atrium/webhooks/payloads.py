"""What every inbound receiver does to a body before verifying it."""

from atrium.kernel.errors import BadRequest, ContentTooLarge

# A payload travels in a domain event (outbox item, then one EventBridge entry of at most 256 KB with its
# envelope), so it is held well below the request limit.
MAX_PAYLOAD_BYTES = 64 * 1024


def payload_text(body: bytes) -> str:
    """The body as text: 413 over ``MAX_PAYLOAD_BYTES``, 400 when it is not UTF-8 (no signature scheme
    here signs anything else)."""
    if len(body) > MAX_PAYLOAD_BYTES:
        raise ContentTooLarge(f"a webhook payload is limited to {MAX_PAYLOAD_BYTES} bytes")
    try:
        return body.decode()
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8") from None
