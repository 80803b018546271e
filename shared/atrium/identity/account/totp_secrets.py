"""Users' TOTP secrets, sealed at rest like webhook signing secrets.

A TOTP secret must be read back to check a code, so it cannot be only hashed: it is sealed (Fernet) with a key
derived per user from the MFA key in Secrets Manager, so whoever reads the table or its stream sees only
ciphertext, and a sealed secret copied onto another user's item does not open.

A secret stored before sealing (plain base32, which no Fernet token can be) is still read, and is sealed by the
next write of the user's TOTP state: the first code it accepts (``factors.accept_totp``).
"""

import re

from cryptography.fernet import Fernet, InvalidToken

from atrium.identity.models import UserItem
from atrium.kernel.config import settings
from atrium.kernel.observability import logger
from atrium.kernel.sealing import sealer
from atrium.kernel.secrets import read_secret

_PLAIN = re.compile(r"[A-Z2-7]+=*")  # base32: a Fernet token always holds lower-case letters too


def _sealer(user_id: str) -> Fernet:
    return sealer(read_secret(settings().mfa_secret_id), purpose=f"totp secret\0{user_id}")


def store(user: UserItem, secret: str | None) -> None:
    """Set the user's secret (sealed), or clear it."""
    user.totp_secret = None if secret is None else _sealer(user.id).encrypt(secret.encode()).decode()


def read(user: UserItem) -> str | None:
    """The user's secret in the clear, or None when there is none, or none that opens for this user (sealed for
    another: no code is accepted)."""
    if user.totp_secret is None or is_plain(user):
        return user.totp_secret
    try:
        return _sealer(user.id).decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:
        logger.error("a TOTP secret does not open for its user", extra={"user_id": user.id})
        return None


def is_plain(user: UserItem) -> bool:
    """Whether the user's secret was stored before sealing (and is still in the clear)."""
    return user.totp_secret is not None and _PLAIN.fullmatch(user.totp_secret) is not None
