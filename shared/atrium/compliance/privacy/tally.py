"""The counts of personal data found in a tenant's free text, added in the transaction of the write that found it,
and the month's report."""

from collections import Counter

from pynamodb.expressions.update import Action

from atrium.compliance.privacy.models import PiiTallyItem, month_pk
from atrium.kernel import clock
from atrium.kernel.errors import Conflict
from atrium.kernel.store.screening import Finding
from atrium.kernel.store.unit_of_work import UnitOfWork

_DONE = {"flagged": PiiTallyItem.flagged, "redacted": PiiTallyItem.redacted}


def add(uow: UnitOfWork, found: Counter[Finding]) -> None:
    """One update per field and kind found (created by its first finding of the month), nothing read first."""
    month = clock.now().strftime("%Y-%m")
    by_item: dict[tuple[str, str], Counter[str]] = {}
    for (field, kind, done), n in found.items():
        by_item.setdefault((field, kind), Counter())[done] += n
    for (field, kind), counts in sorted(by_item.items()):
        tally = PiiTallyItem(tenant_id=uow.tenant_id, month=month, field=field, kind=kind)
        # An update writes only what it names: the type and identifying attributes too, so it reads back whole.
        actions: list[Action] = [PiiTallyItem.entity.set(PiiTallyItem), PiiTallyItem.tenant_id.set(uow.tenant_id),
                   PiiTallyItem.month.set(month), PiiTallyItem.field.set(field), PiiTallyItem.kind.set(kind),
                   *(_DONE[done].add(n) for done, n in sorted(counts.items()))]
        uow.update(tally, actions, condition=None, conflict=Conflict("unreachable: an unconditional update"))


def month_tallies(tenant_id: str, month: str) -> list[PiiTallyItem]:
    """The month's counts: one Query (a few dozen small items at most: fields times kinds)."""
    return [item for item in PiiTallyItem.query(month_pk(tenant_id, month)) if isinstance(item, PiiTallyItem)]
