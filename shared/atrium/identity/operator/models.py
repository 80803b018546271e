"""Operators: platform staff, global (they belong to no tenant), keyed by their lowercased email."""

from pynamodb.attributes import ListAttribute, UnicodeAttribute

from atrium.kernel.store.models import GlobalEntity

ACTIVE = "active"
DISABLED = "disabled"


class OperatorItem(GlobalEntity, discriminator="Operator"):
    """``natural_key`` is the email, lowercased; ``id`` (``opr_...``) is what tokens and audit entries name."""

    id = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    roles = ListAttribute[str](default=list)
    status = UnicodeAttribute(default=ACTIVE)  # active | disabled

    @property
    def email(self) -> str:
        return self.natural_key
