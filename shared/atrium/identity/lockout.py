"""Lockout with exponential backoff after repeated failed sign-ins, per account and per source,
and after repeated wrong secrets from a signed-in user (``user_subject``).

Counted by the email as typed (whether or not an account has it), so a lockout tells nothing
about which emails exist; operator sign-ins count under ``operator:<email>``, apart from tenant
users. A source (IP) gets a higher threshold: it may front many users.
"""

from dataclasses import dataclass
from datetime import timedelta

from atrium.identity.models import LoginThrottleItem
from atrium.kernel import clock
from atrium.kernel.errors import TooManyRequests
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, expires_in

BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
FORGET_AFTER_SECONDS = 24 * 3600  # a quiet day clears the count


@dataclass(frozen=True)
class Limit:
    kind: str
    threshold: int


ACCOUNT = Limit("account", 5)
SOURCE = Limit("source", 20)


def _keys(subject: str, ip: str | None) -> list[tuple[Limit, str]]:
    subjects = [(ACCOUNT, f"{ACCOUNT.kind}:{subject}")]
    if ip:
        subjects.append((SOURCE, f"{SOURCE.kind}:{ip}"))
    return subjects


def lock_seconds(failures: int, limit: Limit) -> int:
    """0 below the threshold, then 30 s doubling with each failure, at most an hour."""
    over = failures - limit.threshold
    return 0 if over < 0 else min(BASE_LOCK_SECONDS * 2 ** over, MAX_LOCK_SECONDS)


def read_and_check(subject: str, ip: str | None,
                   *wanted: tuple[str, str]) -> tuple[list[LoginThrottleItem], list[Item]]:
    """One BatchGetItem for the lockout state of ``subject`` (and ``ip``) and the ``wanted`` keys:
    refuse (429 with Retry-After) while either is locked, else return the throttles and the wanted
    items that exist."""
    throttle_keys = [(keys.global_pk(LoginThrottleItem.type_name(), name), keys.ENTITY_SK)
                     for _, name in _keys(subject, ip)]
    found = list(Item.batch_get([*throttle_keys, *wanted]))
    throttles = [item for item in found if isinstance(item, LoginThrottleItem)]
    _check(throttles)
    return throttles, [item for item in found if not isinstance(item, LoginThrottleItem)]


def user_subject(user_id: str) -> str:
    """The lockout subject of a signed-in user's secret checks (current password, MFA codes): a stolen
    access token gets five guesses, not unlimited ones."""
    return f"user:{user_id}"


def _check(found: list[LoginThrottleItem]) -> None:
    now = clock.now()
    for item in found:
        if item.locked_until and item.locked_until > now:
            raise TooManyRequests("too many failed attempts; try again later",
                                  retry_after_seconds=int((item.locked_until - now).total_seconds()) + 1)


def record_success(subject: str, found: list[LoginThrottleItem]) -> None:
    """A correct secret clears the account's count (not the source's: one success is not many).
    Nothing to clear, no write: the common case costs no call."""
    name = f"{ACCOUNT.kind}:{subject}"
    for item in found:
        if item.natural_key == name:
            item.delete(add_version_condition=False)


def record_failure(subject: str, ip: str | None) -> None:
    for limit, name in _keys(subject, ip):
        item = LoginThrottleItem(natural_key=name)
        item.assign_keys()
        # Counters, not versioned documents: concurrent failures must all count.
        item.update(actions=[LoginThrottleItem.failures.add(1),
                             LoginThrottleItem.expires_at.set(expires_in(FORGET_AFTER_SECONDS)),
                             LoginThrottleItem.natural_key.set(name),
                             LoginThrottleItem.entity.set(LoginThrottleItem)],  # an update writes no type of its own
                    add_version_condition=False)
        seconds = lock_seconds(int(item.failures), limit)
        if seconds:
            item.update(actions=[LoginThrottleItem.locked_until.set(clock.now() + timedelta(seconds=seconds))],
                        add_version_condition=False)
