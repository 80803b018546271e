"""Which attributes of a model hold personal or secret data, declared on the attribute itself (one place):

    name = personal(UnicodeAttribute())
    billing_contact = personal(JSONAttribute())
    notes = free_text(UnicodeAttribute(default=""))

The table stores them as ciphertext (``field_encryption``); the compliance features (export, erasure) find the
personal ones here. A credential (``credential``: a hash, or a secret sealed by its own feature) is stored as it is
and, like a secret, never exported. Only string-typed attributes (text, JSON) can be protected: their stored form is
text. Free text (notes, comments: whatever a person may type anything into) is personal, and screened for personal
data as it is written (``screening``).
"""

from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from pynamodb.attributes import Attribute, UnicodeAttribute
from pynamodb.constants import STRING
from pynamodb.models import Model


class Protection(StrEnum):
    PERSONAL = "personal"  # about a person: exported and erased with them
    SECRET = "secret"  # a credential or a secret value: never exported


_MARK = "atrium_protection"
_FREE_TEXT = "atrium_free_text"
_CREDENTIAL = "atrium_credential"
A = TypeVar("A", bound=Attribute[Any])


def personal(attribute: A) -> A:
    return _mark(attribute, Protection.PERSONAL)


def secret(attribute: A) -> A:
    return _mark(attribute, Protection.SECRET)


def free_text(attribute: A) -> A:
    """Personal, and screened as it is written: a model takes it from ``atrium.compliance.api``, which installs the
    screen."""
    if not isinstance(attribute, UnicodeAttribute):
        raise TypeError(f"only a text attribute can be free text, not a {type(attribute).__name__}")
    setattr(attribute, _FREE_TEXT, True)
    return personal(attribute)


def credential(attribute: A) -> A:
    """A credential's hash, or a secret sealed by its own feature (API token hashes, webhook signing secrets): stored
    as it is, and never exported."""
    setattr(attribute, _CREDENTIAL, True)
    return attribute


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


@cache
def free_text_fields(model: type[Model]) -> tuple[str, ...]:
    """The free-text attributes of ``model``, by their name on the model."""
    return tuple(name for name, attribute in model.get_attributes().items() if getattr(attribute, _FREE_TEXT, False))


@cache
def never_exported(model: type[Model]) -> frozenset[str]:
    """The stored names of the attributes of ``model`` no export may hold: secrets and credentials."""
    return frozenset(attribute.attr_name for attribute in model.get_attributes().values()
                     if getattr(attribute, _MARK, None) is Protection.SECRET or getattr(attribute, _CREDENTIAL, False))
