"""Developer API keys: ``atr_dev_<random>``; only their SHA-256 is stored."""

import secrets

PREFIX = "atr_dev_"
SHOWN_RANDOM_CHARS = 4


def mint() -> str:
    return f"{PREFIX}{secrets.token_urlsafe(32)}"


def shown(secret: str) -> str:
    """What the API shows of a key: its kind and its last four characters."""
    return f"{PREFIX}…{secret[-SHOWN_RANDOM_CHARS:]}"
