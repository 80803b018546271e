"""Second factors: TOTP codes (RFC 6238, each accepted once) and single-use recovery codes."""

import hmac
import secrets

import pyotp

from atrium.identity.account import totp_secrets
from atrium.identity.models import UserItem
from atrium.identity.tokens import token_hash
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Unprocessable

VALID_WINDOW = 1  # steps either side of now: clocks drift and people type slowly
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 4, 4  # 16 characters: about 79 bits


def new_totp_secret() -> str:
    return pyotp.random_base32()


def otpauth_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=settings().app_name)


def accept_totp(user: UserItem, code: str) -> bool:
    """Whether ``code`` is the user's TOTP code for a step not used before; records the step (and seals a secret
    stored before sealing: the caller saves the user)."""
    secret = totp_secrets.read(user)
    if secret is None or not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(clock.now())
    last = -1 if user.totp_last_step is None else int(user.totp_last_step)
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if step > last and hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            if totp_secrets.is_plain(user):
                totp_secrets.store(user, secret)
            return True
    return False


def _normalized(code: str) -> str:
    return code.replace("-", "").replace(" ", "").lower()


def accept_second_factor(user: UserItem, code: str) -> bool:
    """A TOTP code, or a recovery code (which is spent: removed from the user)."""
    if accept_totp(user, code):
        return True
    digest = token_hash(_normalized(code))
    if digest in user.recovery_code_hashes:
        user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != digest]
        return True
    return False


def new_recovery_codes(user: UserItem) -> list[str]:
    """Replace the user's recovery codes; the plain codes exist only in the answer."""
    codes = ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
                      for _ in range(_RECOVERY_GROUPS)) for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = [token_hash(_normalized(code)) for code in codes]
    return codes


def wrong_code() -> Unprocessable:
    return Unprocessable("the code is incorrect or was already used",
                         errors=[{"field": "body.code", "message": "is incorrect or was already used",
                                  "code": "invalid_code"}])
