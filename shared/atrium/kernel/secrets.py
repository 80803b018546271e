"""Secrets Manager reads, cached per process (Powertools parameters)."""

from aws_lambda_powertools.utilities import parameters

from atrium.kernel.config import settings


def read_secret(secret_id: str, *, fresh: bool = False) -> str:
    value = parameters.get_secret(secret_id, max_age=settings().secret_cache_seconds, force_fetch=fresh)
    return value if isinstance(value, str) else value.decode()
