"""Free text (``protection.free_text``) screened for personal data as a unit of work writes it.

The kernel holds the hook; the compliance context installs what screens a text (by the tenant's setting: flag or
redact) and what counts the findings, when ``atrium.compliance.api`` (where models take ``free_text`` from) is
imported. A unit of work screens each item it puts (``create``, ``save``) as it is handed the item, so the audit
entry, the event and the answer built after it show the text as stored; it counts the findings in its own
transaction as it commits.

A text as read from the table was screened when it was written: an item saved again with that text unchanged is not
screened again, nor its findings counted twice.
"""

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from atrium.kernel.store.protection import free_text_fields

if TYPE_CHECKING:
    from atrium.kernel.store.models import Item
    from atrium.kernel.store.unit_of_work import UnitOfWork

# What was found in one field: ("<Type>.<attribute>", kind, what was done: "flagged" or "redacted").
Finding = tuple[str, str, str]
_AS_READ = "_atrium_free_text_as_read"


@dataclass(frozen=True)
class Screened:
    text: str  # as it is to be stored
    found: Counter[tuple[str, str]]  # (kind, what was done) -> how many


class Screen(Protocol):
    def screen(self, tenant_id: str, text: str) -> Screened: ...

    def count(self, uow: "UnitOfWork", found: Counter[Finding]) -> None:
        """Add ``found`` to the tenant's counts in ``uow``'s transaction."""


_installed: list[Screen] = []


def install(screen: Screen) -> None:
    _installed[:] = [screen]


def _screen() -> Screen:
    if not _installed:
        raise RuntimeError("free text is written but nothing screens it: take free_text from atrium.compliance.api")
    return _installed[0]


def screen_item(tenant_id: str, item: "Item") -> Counter[Finding]:
    """Screen the free text of ``item`` changed since it was read (in place: a redacted text replaces it), and say
    what was found."""
    found: Counter[Finding] = Counter()
    names = free_text_fields(type(item))
    if not names:
        return found
    as_read: dict[str, str] = getattr(item, _AS_READ, {})
    for name in names:
        text = getattr(item, name)
        if not text or as_read.get(name) == text:
            continue
        screened = _screen().screen(tenant_id, text)
        setattr(item, name, screened.text)
        found.update({(f"{item.type_name()}.{name}", kind, done): n for (kind, done), n in screened.found.items()})
    remember(item)
    return found


def count(uow: "UnitOfWork", found: Counter[Finding]) -> None:
    _screen().count(uow, found)


def remember(item: "Item") -> None:
    """Note the free text of ``item`` as read or written, which needs no screening again."""
    if names := free_text_fields(type(item)):
        setattr(item, _AS_READ, {name: getattr(item, name) for name in names})
