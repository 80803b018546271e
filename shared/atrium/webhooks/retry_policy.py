"""When a failed delivery is tried again, and which responses count as failures.

After the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each ±20 % (jitter spreads a recovering
receiver's load), then the delivery has failed. ``Retry-After`` on 429 or 503 replaces the next delay,
within reason (1 s to 12 h). Any 2xx is a success; everything else (3xx included: redirects are never
followed) is a failure; 410 Gone also disables the endpoint.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

SCHEDULE_SECONDS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
JITTER = 0.2
MAX_ATTEMPTS = 1 + len(SCHEDULE_SECONDS)
RETRY_AFTER_STATUSES = frozenset({429, 503})
MIN_RETRY_AFTER = timedelta(seconds=1)
MAX_RETRY_AFTER = timedelta(hours=12)
GONE = 410


def succeeded(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


def next_delay(attempt: int, *, uniform: Callable[[float, float], float] = random.uniform) -> timedelta | None:
    """The wait after failed attempt number ``attempt`` (1 = the first), or None when it was the last."""
    if attempt >= MAX_ATTEMPTS:
        return None
    return timedelta(seconds=SCHEDULE_SECONDS[attempt - 1] * uniform(1 - JITTER, 1 + JITTER))


def retry_after(status_code: int | None, header: str | None, now: datetime) -> timedelta | None:
    """The receiver's ``Retry-After`` (seconds or an HTTP date) on 429/503, clamped to 1 s .. 12 h."""
    if status_code not in RETRY_AFTER_STATUSES or not header:
        return None
    value = header.strip()
    if value.isdigit():
        wait = timedelta(seconds=int(value))
    else:
        try:
            wait = parsedate_to_datetime(value) - now
        except (TypeError, ValueError):
            return None
    return min(max(wait, MIN_RETRY_AFTER), MAX_RETRY_AFTER)
