"""Tests that declare a job kind of their own, in place of the product's."""

from typing import Any

import pytest

from atrium import manifest


def declare_only(monkeypatch: pytest.MonkeyPatch, spec: Any, *, listed_by: str, found_by: str, what: str) -> None:
    """Make ``spec`` the only declaration ``manifest.<listed_by>()`` lists and ``manifest.<found_by>(name)`` finds
    (before the moto world is provisioned, so its queues exist)."""
    monkeypatch.setattr(manifest, listed_by, lambda: [spec])

    def find(name: str) -> Any:
        if name != spec.name:
            raise LookupError(f"no {what} {name}")
        return spec

    monkeypatch.setattr(manifest, found_by, find)
