"""Entry of the stream relay: table stream (outbox inserts) -> event bus."""

from atrium.kernel.events.relay import handler

__all__ = ["handler"]
