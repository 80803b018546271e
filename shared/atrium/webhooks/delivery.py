"""Delivery attempts (being written)."""

from typing import Any


def attempt_delivery(body: dict[str, Any]) -> None:
    raise NotImplementedError
