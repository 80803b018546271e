"""Password hashing (argon2id) and the strength policy."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from atrium.kernel.errors import Unprocessable

MIN_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def check_strength(password: str, *, email: str) -> None:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(set(password)) < 5:
        problems.append("must use at least 5 different characters")
    name = email.split("@")[0].lower()
    if len(name) >= 3 and name in password.lower():
        problems.append("must not contain the email name")
    if problems:
        raise Unprocessable("the password is too weak",
                            errors=[{"field": "body.password", "message": p, "code": "weak_password"}
                                    for p in problems])


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
