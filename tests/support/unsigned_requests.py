"""The tests' DynamoDB requests go to in-process moto unsigned.

moto's DynamoDB reads no signature (the IAM watcher in ``iam_leading_keys`` reads the credentials from the client,
not from the request), and SigV4 signing was a sixth of each call's time. Other services stay signed: moto's S3
treats an unsigned request as anonymous. A test of the signatures themselves puts ``SIGN`` back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.signers import RequestSigner

SIGN = RequestSigner.sign  # botocore's


def _sign(signer: RequestSigner, operation_name: str, request: Any, region_name: str | None = None,
          signing_type: str = "standard", expires_in: int | None = None, signing_name: str | None = None) -> None:
    if signing_type != "standard" or getattr(signer, "_signing_name", None) != "dynamodb":
        SIGN(signer, operation_name, request, region_name, signing_type, expires_in, signing_name)


@contextmanager
def unsigned_requests() -> Iterator[None]:
    RequestSigner.sign = _sign  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        RequestSigner.sign = SIGN  # type: ignore[method-assign]
