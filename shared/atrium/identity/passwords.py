"""Password hashing (argon2id) and the strength policy."""

from argon2 import PasswordHasher

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
