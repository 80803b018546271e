"""Operators: platform staff, global (they belong to no tenant), found by their email's blind index."""

from typing import Any, Self

from pynamodb.attributes import ListAttribute, UnicodeAttribute

from atrium.kernel.store.blind_index import blind_index
from atrium.kernel.store.models import GlobalEntity
from atrium.kernel.store.protection import personal

ACTIVE = "active"
DISABLED = "disabled"
# The index's field: an operator's address is indexed apart from users' (the same person may be both).
EMAIL = "operator_email"


def email_index(email: str) -> str:
    """The platform's blind index of an operator's address (any case)."""
    return blind_index(EMAIL, email, tenant_id=None)


class OperatorItem(GlobalEntity, discriminator="Operator"):
    """``natural_key`` is the email's blind index; ``id`` (``opr_...``) is what tokens and audit entries name; the
    email itself (lower case) is encrypted under the platform's key."""

    id = UnicodeAttribute()
    email = personal(UnicodeAttribute())
    password_hash = UnicodeAttribute()
    roles = ListAttribute[str](default=list)
    status = UnicodeAttribute(default=ACTIVE)  # active | disabled

    @classmethod
    def of(cls, email: str, **attributes: Any) -> Self:
        """The operator of ``email`` (unsaved)."""
        return cls(natural_key=email_index(email), email=email, **attributes)

    @classmethod
    def find_email(cls, email: str) -> Self | None:
        return cls.find(email_index(email))
