"""Entry of the HTTP API Lambda authorizer."""

from atrium.identity.authorizer import handler

__all__ = ["handler"]
