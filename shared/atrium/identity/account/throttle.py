"""At most one email of a kind per window and subject (an email address, or a user)."""

import math

from atrium.identity.account.models import MailThrottleItem
from atrium.kernel import clock
from atrium.kernel.errors import TooManyRequests
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import UnitOfWork

WINDOW_SECONDS = 60


class MailThrottled(TooManyRequests):
    def __init__(self, seconds: int = WINDOW_SECONDS) -> None:
        super().__init__("an email of this kind was sent moments ago; try again later", retry_after_seconds=seconds)


def throttle_item(purpose: str, subject: str) -> MailThrottleItem:
    """The (unsaved) item for ``subject``, keys assigned: for a batch read."""
    item = MailThrottleItem(natural_key=f"{purpose}:{subject}")
    item.assign_keys()
    return item


def seconds_left(found: MailThrottleItem | None) -> int:
    """0 when an email may be sent now."""
    if found is None or found.expires_at is None:
        return 0
    return max(0, math.ceil((found.expires_at - clock.now()).total_seconds()))


def claim(uow: UnitOfWork, found: MailThrottleItem | None, purpose: str, subject: str) -> None:
    """Start a new window in ``uow``. Two racing requests cannot both commit: the loser fails with
    ``MailThrottled`` (new item) or ``PreconditionFailed`` (the expired item's version moved)."""
    if found is None:
        uow.create(MailThrottleItem(natural_key=f"{purpose}:{subject}", expires_at=expires_in(WINDOW_SECONDS)),
                   conflict=MailThrottled())
    else:
        found.expires_at = expires_in(WINDOW_SECONDS)
        uow.save(found)
