"""Lockout with exponential backoff after wrong secrets. A secret is checked only once its attempt is counted:
the count is claimed with one conditional write before the check, so concurrent guesses cannot all be checked.

- **Per account and source** (``pair``): 5 failures, then one attempt per backoff period (30 s doubling, at most
  an hour). What one guesser gets; other sources are not slowed by it, so nobody can lock a user out by
  guessing their password from elsewhere.
- **Per account** (``account``): a ceiling of 50 failures from every source together (distributed guessing).
  Over it, sources that have failed against the account are refused; a source that has not failed still
  signs in with the right password.
- **MFA codes at sign-in** (``mfa``, per user): 5 wrong codes across challenges, then the backoff. Only a
  correct code clears the count; a correct password does not.
- **Secrets a signed-in user proves** (``user``: the current password, an MFA code before a change): 5, then
  the backoff. Whoever holds a stolen access token gets five guesses.

Sign-ins are counted by the email's blind index (whether or not an account has it), so a lockout tells nothing
about which emails exist and no address is kept in a key; operator sign-ins count under the index of another field
(``operator.models.email_index``). A quiet day clears a count.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pynamodb.expressions.condition import Condition

from atrium.identity.models import LoginThrottleItem
from atrium.kernel import clock
from atrium.kernel.errors import TooManyRequests
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, expires_in
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.store.writes import unless_raced

BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
FORGET_AFTER_SECONDS = 24 * 3600  # a quiet day clears the count


@dataclass(frozen=True)
class Limit:
    kind: str
    threshold: int


PAIR = Limit("pair", 5)
ACCOUNT = Limit("account", 50)
MFA = Limit("mfa", 5)
SIGNED_IN = Limit("user", 5)


def lock_seconds(failures: int, limit: Limit) -> int:
    """0 below the threshold, then 30 s doubling with each failure, at most an hour."""
    over = failures - limit.threshold
    return 0 if over < 0 else min(BASE_LOCK_SECONDS * 2 ** over, MAX_LOCK_SECONDS)


def _name(limit: Limit, subject: str, source: str | None = None) -> str:
    return f"{limit.kind}:{subject}" if source is None else f"{limit.kind}:{subject}|{source}"


def _key(name: str) -> tuple[str, str]:
    return keys.global_pk(LoginThrottleItem.type_name(), name), keys.ENTITY_SK


def _locked(item: LoginThrottleItem | None, now: datetime) -> TooManyRequests | None:
    if item is None or item.locked_until is None or item.locked_until <= now:
        return None
    return TooManyRequests("too many failed attempts; try again later",
                           retry_after_seconds=int((item.locked_until - now).total_seconds()) + 1)


@dataclass
class Attempt:
    """An attempt to prove a secret, with the lockout state read for it: ``check`` counts it, then checks."""

    name: str
    limit: Limit
    known: LoginThrottleItem | None
    ceiling: LoginThrottleItem | None = None  # the account-wide count (sign-ins with a password)
    counter: LoginThrottleItem = field(init=False)  # this attempt's claimed count, once checked

    def check(self, proves: Callable[[], bool]) -> bool:
        """Claim the attempt (429 when locked), then run ``proves``. A wrong secret stays counted (the first
        backoff starts at the threshold; past it the claim locked already) and counts toward the account's
        ceiling. A right one stays counted until ``clear`` (so it can go with the success's own writes)."""
        self.counter = _claim(self.name, self.limit, self.known)
        if proves():
            return True
        if int(self.counter.failures) == self.limit.threshold:
            _lock(self.counter, lock_seconds(self.limit.threshold, self.limit))
        if self.ceiling is not None and (seconds := lock_seconds(_add_failure(self.ceiling), ACCOUNT)):
            _lock(self.ceiling, seconds)
        return False

    def clear(self, uow: UnitOfWork | None = None) -> None:
        """After a right secret: clear this count (not the ceiling's: one success is not many), in ``uow`` when
        the success commits one anyway, else at once."""
        if uow is None:
            self.counter.delete(add_version_condition=False)
        else:
            uow.discard(self.counter)


def _lock(item: LoginThrottleItem, seconds: int) -> None:
    item.update(actions=[LoginThrottleItem.locked_until.set(clock.now() + timedelta(seconds=seconds))],
                add_version_condition=False)


def _add_failure(item: LoginThrottleItem, condition: Condition | None = None) -> int:
    """Count one more, atomically; the new count."""
    item.update(actions=[LoginThrottleItem.failures.add(1),
                         LoginThrottleItem.expires_at.set(expires_in(FORGET_AFTER_SECONDS)),
                         LoginThrottleItem.natural_key.set(item.natural_key),
                         LoginThrottleItem.entity.set(LoginThrottleItem)],  # an update writes no type of its own
                condition=condition, add_version_condition=False)
    return int(item.failures)


def _claim(name: str, limit: Limit, known: LoginThrottleItem | None) -> LoginThrottleItem:
    """Count this attempt before its secret is checked, or refuse it (429).

    Below the threshold, the write's condition lets exactly the remaining attempts through, however many
    arrive at once. At or past it, one attempt per backoff period: the first after a lock ends sets the next
    lock (as if it will fail) in the same write, so concurrent ones find it locked."""
    now = clock.now()
    item = LoginThrottleItem(natural_key=name)
    item.assign_keys()
    if unless_raced(lambda: _add_failure(item, LoginThrottleItem.failures.does_not_exist()
                                 | (LoginThrottleItem.failures < limit.threshold))):
        return item
    failures = int(known.failures) if known else limit.threshold
    next_lock = now + timedelta(seconds=lock_seconds(failures + 1, limit))
    if unless_raced(lambda: item.update(
            actions=[LoginThrottleItem.failures.add(1), LoginThrottleItem.locked_until.set(next_lock),
                     LoginThrottleItem.expires_at.set(expires_in(FORGET_AFTER_SECONDS))],
            condition=LoginThrottleItem.locked_until.exists() & (LoginThrottleItem.locked_until <= now),
            add_version_condition=False)):
        return item
    raise _locked(known, now) or TooManyRequests("too many failed attempts; try again later",
                                                 retry_after_seconds=BASE_LOCK_SECONDS)


def begin_sign_in(subject: str, source: str | None, *wanted: tuple[str, str]) -> tuple[Attempt, list[Item]]:
    """One BatchGetItem for the lockout state of ``subject`` from ``source`` and the ``wanted`` keys. Refuses
    (429 with Retry-After) a source that has failed while the account is over its ceiling; returns the attempt
    and the wanted items that exist."""
    pair, ceiling = _name(PAIR, subject, source or "-"), _name(ACCOUNT, subject)
    found = list(Item.batch_get([_key(pair), _key(ceiling), *wanted]))
    throttles = {item.natural_key: item for item in found if isinstance(item, LoginThrottleItem)}
    known_pair, known_ceiling = throttles.get(pair), throttles.get(ceiling)
    if known_pair is not None and int(known_pair.failures) > 0 and (refused := _locked(known_ceiling, clock.now())):
        raise refused  # distributed guessing: only sources that have not failed get through
    ceiling_item = known_ceiling or LoginThrottleItem(natural_key=ceiling)
    ceiling_item.assign_keys()
    return Attempt(pair, PAIR, known_pair, ceiling_item), [item for item in found
                                                           if not isinstance(item, LoginThrottleItem)]


def begin(limit: Limit, subject: str, *wanted: tuple[str, str]) -> tuple[Attempt, list[Item]]:
    """The same for a user's own secrets (``SIGNED_IN``, ``MFA``): one count per user, no source."""
    name = _name(limit, subject)
    found = list(Item.batch_get([_key(name), *wanted]))
    known = next((item for item in found if isinstance(item, LoginThrottleItem)), None)
    return Attempt(name, limit, known), [item for item in found if not isinstance(item, LoginThrottleItem)]
