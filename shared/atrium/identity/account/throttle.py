"""At most one link email of a kind per subject (an email address, or a user) in each
``link_email_interval_seconds``: a fixed-window counter (``kernel/store/counters.py``)."""

from atrium.identity.account.one_time_tokens import Purpose
from atrium.kernel.config import settings
from atrium.kernel.store.counters import Limit


def link_email_limit(purpose: Purpose) -> Limit:
    return Limit(f"{purpose.name}_email", 1, settings().link_email_interval_seconds,
                 "an email of this kind was sent moments ago; try again later")
