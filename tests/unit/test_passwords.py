import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from atrium.identity import passwords
from atrium.identity.passwords import check_strength, hash_password, verify_password
from atrium.kernel.errors import Unprocessable


def _errors(password: str, **inputs: str) -> list[dict[str, str]]:
    with pytest.raises(Unprocessable) as raised:
        check_strength(password, email=inputs.pop("email", "alice@example.com"), **inputs)
    return raised.value.errors


@pytest.mark.parametrize("password", ["short1", "aaaaaaaaaaaa", "alice-rocks-2026"])
def test_weak_passwords_are_refused_with_field_errors(password: str) -> None:
    errors = _errors(password)
    assert errors and all(e["field"] == "body.password" and e["code"] == "weak_password" for e in errors)


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "iloveyou2020"])
def test_common_and_breached_passwords_are_refused_with_zxcvbn_feedback(password: str) -> None:
    messages = [e["message"] for e in _errors(password)]
    assert any("common" in m or "Add another word" in m for m in messages), messages


def test_the_tenant_name_counts_as_guessable() -> None:
    check_strength("zephyrquill", email="ada@example.com")  # fine on its own...
    assert _errors("zephyrquill", email="ada@example.com", tenant_name="Zephyr Quill")  # ...not in that tenant


def test_the_email_counts_as_guessable() -> None:
    check_strength("zephyrquill", email="ada@example.com")
    assert _errors("zephyrquill", email="ada@zephyrquill.io")


def test_the_field_is_named_by_the_caller() -> None:
    assert {e["field"] for e in _errors("password1234", field="body.new_password")} == {"body.new_password"}


def test_very_long_passwords_are_measured_without_error() -> None:
    check_strength("plaid wombat tuesday lantern " * 8, email="alice@example.com")


def test_a_strong_password_passes() -> None:
    check_strength("correct horse battery staple", email="alice@example.com", tenant_name="Acme")


def test_hashes_are_argon2id_and_verify() -> None:
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, "correct horse battery staple")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "wrong horse battery staple")
    assert not verify_password(None, "correct horse battery staple")


def test_the_product_hashes_with_rfc_9106_parameters_and_tests_with_cheaper_ones() -> None:
    """The suite hashes cheaply (tests/conftest.py); what ships is RFC 9106's low-memory profile."""
    assert passwords.PRODUCTION_HASHER.time_cost == RFC_9106_LOW_MEMORY.time_cost == 3
    assert passwords.PRODUCTION_HASHER.memory_cost == RFC_9106_LOW_MEMORY.memory_cost == 64 * 1024
    assert passwords.PRODUCTION_HASHER.parallelism == RFC_9106_LOW_MEMORY.parallelism == 4
    assert extract_parameters(hash_password("correct horse battery staple")).memory_cost < 64 * 1024
    production_hash = passwords.PRODUCTION_HASHER.hash("correct horse battery staple")
    assert extract_parameters(production_hash) == RFC_9106_LOW_MEMORY
    assert verify_password(production_hash, "correct horse battery staple")  # the parameters travel in the hash
