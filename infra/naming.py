"""Construct ids from declaration names (stable: logical ids must not churn)."""

import re


def pascal(name: str) -> str:
    """``identity.send_welcome_email`` -> ``IdentitySendWelcomeEmail``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)
