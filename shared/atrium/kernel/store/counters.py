"""Fixed-window counters: at most so many of something per window (a minute, an hour, a day) and subject.

One item per limit, subject and window: the window's number is in its key, and the item expires when the
window ends. A count is taken with one conditional update (ADD 1 while below the limit), so racing requests
cannot both take the last one, and nothing is read first. ``take`` is that update alone; ``take_in`` puts it in
a unit of work, where it counts only if the change commits. A subject (an email address, a user id) is hashed
into the key: an address is not spelled out there, and any character may appear in one.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action

from atrium.kernel import clock
from atrium.kernel.errors import TooManyRequests
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.store.writes import unless_raced


@dataclass(frozen=True)
class Limit:
    name: str  # what is counted; part of the key
    most: int
    window_seconds: int
    refusal: str  # the 429's detail


class LimitReached(TooManyRequests):
    """The subject's count for this window is used up; ``Retry-After`` is when the window ends."""


class CountItem(Item, discriminator="Count"):
    """How often one limit's subject was counted in one window; tenant-owned when ``tenant_id`` is set."""

    tenant_id = UnicodeAttribute(null=True)
    counter = UnicodeAttribute()  # <limit>:<subject digest>:<window number>
    taken = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = (keys.entity_pk(self.tenant_id, self.type_name(), self.counter) if self.tenant_id
                   else keys.global_pk(self.type_name(), self.counter))


@dataclass(frozen=True)
class _Counting:
    item: CountItem
    actions: list[Action]
    condition: Any
    reached: LimitReached


def _counting(limit: Limit, subject: str, tenant_id: str | None) -> _Counting:
    now = clock.now()
    number = int(now.timestamp()) // limit.window_seconds
    ends = datetime.fromtimestamp((number + 1) * limit.window_seconds, UTC)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    item = CountItem(tenant_id=tenant_id, counter=f"{limit.name}:{digest}:{number}")
    item.assign_keys()
    # An update writes only what it names: the type and key attributes too, so the item reads back as a CountItem.
    actions: list[Action] = [CountItem.taken.add(1), CountItem.expires_at.set(ends),
                             CountItem.counter.set(item.counter), CountItem.entity.set(CountItem)]
    if tenant_id:
        actions.append(CountItem.tenant_id.set(tenant_id))
    reached = LimitReached(limit.refusal, retry_after_seconds=math.ceil((ends - now).total_seconds()))
    return _Counting(item, actions, CountItem.taken.does_not_exist() | (CountItem.taken < limit.most), reached)


def take(limit: Limit, subject: str, *, tenant_id: str | None = None) -> None:
    """Count one for ``subject`` now (one UpdateItem), or raise ``LimitReached`` and count nothing."""
    counting = _counting(limit, subject, tenant_id)
    if not unless_raced(lambda: Item._get_connection().update_item(
            counting.item.pk, counting.item.sk, actions=counting.actions, condition=counting.condition)):
        raise counting.reached


def take_in(uow: UnitOfWork, limit: Limit, subject: str, *, tenant_id: str | None = None) -> None:
    """Count one for ``subject`` in ``uow``'s transaction, which fails with ``LimitReached`` if none is left."""
    counting = _counting(limit, subject, tenant_id)
    uow.update(counting.item, counting.actions, condition=counting.condition, conflict=counting.reached)
