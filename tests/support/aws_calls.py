"""The AWS API calls a block of code makes, as (service, operation, parameter names): every client, whichever
botocore session made it (PynamoDB builds its own), ends in ``BaseClient._make_api_call``."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.client import BaseClient

_METHOD = "_make_api_call"  # private, hence not in botocore-stubs


@contextmanager
def recorded_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, tuple[str, ...]]]]:
    calls: list[tuple[str, str, tuple[str, ...]]] = []
    original = getattr(BaseClient, _METHOD)

    def record(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        calls.append((self.meta.service_model.service_name, operation_name, tuple(sorted(api_params))))
        return original(self, operation_name, api_params)

    with monkeypatch.context() as patch:
        patch.setattr(BaseClient, _METHOD, record)
        yield calls
