import pytest
from argon2 import PasswordHasher

from atrium.identity.passwords import check_strength, hash_password
from atrium.kernel.errors import Unprocessable


@pytest.mark.parametrize("password", ["short1", "aaaaaaaaaaaa", "alice-rocks-2026"])
def test_weak_passwords_are_refused_with_field_errors(password: str) -> None:
    with pytest.raises(Unprocessable) as raised:
        check_strength(password, email="alice@example.com")
    assert raised.value.errors and all(e["field"] == "body.password" for e in raised.value.errors)


def test_a_strong_password_passes() -> None:
    check_strength("correct horse battery staple", email="alice@example.com")


def test_hashes_are_argon2id_and_verify() -> None:
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, "correct horse battery staple")
