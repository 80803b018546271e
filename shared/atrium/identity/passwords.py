"""Password hashing (argon2id), the strength policy, and setting a user's password."""

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from atrium.identity.models import UserItem
from atrium.kernel import clock
from atrium.kernel.errors import Unprocessable

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^10 guesses)
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; what follows adds strength it need not measure
# argon2id as RFC 9106 recommends where memory is limited: 64 MiB, 3 passes, 4 lanes.
PRODUCTION_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
_hasher = PRODUCTION_HASHER  # the test suite swaps in a cheap one (tests/conftest.py)


def check_strength(password: str, *, email: str, tenant_name: str | None = None,
                   field: str = "body.password") -> None:
    """Refuse a weak password with one field error per reason (422).

    zxcvbn estimates guessability: common and breached passwords, keyboard patterns, dates, and words
    from the user's own email and tenant name (its user inputs).
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(set(password)) < 5:
        problems.append("must use at least 5 different characters")
    name = email.split("@")[0].lower()
    if len(name) >= 3 and name in password.lower():
        problems.append("must not contain the email name")
    if not problems:
        problems = _guessability_problems(password, _user_inputs(email, tenant_name))
    if problems:
        raise Unprocessable("the password is too weak",
                            errors=[{"field": field, "message": p, "code": "weak_password"} for p in problems])


def _user_inputs(email: str, tenant_name: str | None) -> list[str]:
    words = [email, *re.split(r"[^0-9a-z]+", email.lower())]
    if tenant_name:
        words += [tenant_name, *re.split(r"\W+", tenant_name.lower())]
    return [word for word in words if len(word) >= 3]


def _guessability_problems(password: str, user_inputs: list[str]) -> list[str]:
    # Loaded only by the routes that set a password (cold start).
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=user_inputs)
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result["feedback"]
    messages = [text for text in (feedback["warning"], *feedback["suggestions"]) if text]
    return messages or ["is too easy to guess"]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher.hash("decoy password for unknown accounts")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists: an unknown one is checked against a decoy."""
    try:
        return _hasher.verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def set_password(user: UserItem, password: str) -> None:
    """Every session of the user, in every tenant, ends: ``sessions_valid_after`` is read by the authorizer (live
    access, cached ``access_cache_seconds``) and by refresh, so access tokens of older sessions stop within the
    cache TTL and their refresh tokens at once."""
    user.password_hash = hash_password(password)
    user.sessions_valid_after = clock.now()
