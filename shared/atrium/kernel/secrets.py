"""Secrets Manager reads, cached per process (Powertools parameters).

The provider uses a client of boto3's default session: Powertools' default provider opens a session of its own,
which loads botocore's endpoint data a second time (tens of milliseconds of a cold start).
"""

from functools import lru_cache

import boto3
from aws_lambda_powertools.utilities.parameters import SecretsProvider

from atrium.kernel.config import settings


@lru_cache(maxsize=1)
def _provider() -> SecretsProvider:
    return SecretsProvider(boto3_client=boto3.client("secretsmanager", region_name=settings().region))


def read_secret(secret_id: str, *, fresh: bool = False) -> str:
    value = _provider().get(secret_id, max_age=settings().secret_cache_seconds, force_fetch=fresh)
    assert isinstance(value, str | bytes), "without a transform, a secret is its string or its binary"
    return value if isinstance(value, str) else value.decode()


def forget_cached_secrets() -> None:
    """Drop every value read so far (the next read fetches it); the client stays."""
    _provider().clear_cache()  # type: ignore[no-untyped-call]
