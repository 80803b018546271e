"""Which attributes of a model hold personal or secret data, declared on the attribute itself (one place):

    name = personal(UnicodeAttribute())
    billing_contact = personal(JSONAttribute())

The table stores them as ciphertext (``field_encryption``); the compliance features (export, erasure) find the
personal ones here. Only string-typed attributes (text, JSON) can be protected: their stored form is text.
"""

from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from pynamodb.attributes import Attribute
from pynamodb.constants import STRING
from pynamodb.models import Model


class Protection(StrEnum):
    PERSONAL = "personal"  # about a person: exported and erased with them
    SECRET = "secret"  # a credential or a secret value: never exported


_MARK = "atrium_protection"
A = TypeVar("A", bound=Attribute[Any])


def personal(attribute: A) -> A:
    return _mark(attribute, Protection.PERSONAL)


def secret(attribute: A) -> A:
    return _mark(attribute, Protection.SECRET)


def _mark(attribute: A, protection: Protection) -> A:
    if attribute.attr_type != STRING:
        raise TypeError(f"only a text or JSON attribute can be {protection}, not a {type(attribute).__name__}")
    setattr(attribute, _MARK, protection)
    return attribute


@cache
def protected(model: type[Model]) -> dict[str, Protection]:
    """The protected attributes of ``model``, by stored name."""
    return {attribute.attr_name: mark for attribute in model.get_attributes().values()
            if (mark := getattr(attribute, _MARK, None)) is not None}
