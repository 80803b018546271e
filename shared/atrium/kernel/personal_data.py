"""Personal-data providers: what a context holds about a person, declared by the context in ``personal_data.py``
(``PROVIDERS``), so the compliance context exports and erases a person everywhere without naming a context.

A subject is a user id or an email address. Each provider first says what it knows the subject as (``identify``:
the ids of its records that stand for the person, such as a member or a customer), then lists its records about
them (``find``: each record's personal values as JSON, and the files that hold more), and erases them (``erase``).
An erasure also destroys the subject's audit keys of every alias, so what the audit log says about them becomes
unreadable while its chain still verifies (docs/compliance.md).

An erasure is traced (``tracing``): which items it erased in place or deleted, and which files it deleted, by key. A
restore of a backup taken before it replays the trace on what it writes (docs/compliance.md), so no restore brings
an erased person back.

This module holds only the declaration types, the erased placeholders and the trace, so a context declares a
provider without importing the compliance context."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from atrium.kernel import files
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.models import Item
from atrium.kernel.store.protection import Protection, protected
from atrium.kernel.store.unit_of_work import UnitOfWork

# What an erased text reads as, and an erased email address (one that still passes an email check, so an
# erased record still reads and validates as its kind).
ERASED = "[erased]"
ERASED_EMAIL = "erased@erased.example"


@dataclass(frozen=True)
class Alias:
    """What a context knows the subject as: the type an audit entry names it by and its id."""

    type: str
    id: str


@dataclass(frozen=True)
class Subject:
    """The person: a user id, an email (lower case), or both once identified, and their aliases."""

    user_id: str | None = None
    email: str | None = None
    aliases: frozenset[Alias] = frozenset()

    def has_email(self, value: object) -> bool:
        return self.email is not None and isinstance(value, str) and value.strip().lower() == self.email


@dataclass(frozen=True)
class PersonalRecord:
    """One record about the subject: its personal values (JSON) and the files (keys in the files bucket) it
    refers to."""

    type: str
    id: str
    data: dict[str, Any]
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonalDataProvider:
    """``identify`` completes the subject (a user id or email it knows the other of, and aliases); ``find`` lists
    the records about it; ``erase`` erases what ``find`` found (in the tenant's scope), answering how many it
    erased. ``ref_types`` are the types of the audit references whose names are about a person (the audit log
    keeps those names under the person's key)."""

    name: str
    description: str
    find: Callable[[str, Subject], list[PersonalRecord]]
    erase: Callable[[str, Subject, list[PersonalRecord]], int]
    identify: Callable[[str, Subject], Subject] = field(default=lambda _tenant_id, subject: subject)
    ref_types: frozenset[str] = frozenset()


def erased_value(value: Any) -> Any:
    """``value`` with every text replaced by ``ERASED`` (an ``email`` by ``ERASED_EMAIL``), its shape kept."""
    if isinstance(value, dict):
        return {key: ERASED_EMAIL if key == "email" and value[key] else erased_value(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [erased_value(item) for item in value]
    if isinstance(value, str):
        return ERASED if value else value
    return value


def personal_values(item: Item) -> dict[str, Any]:
    """The item's personal attributes (``protection.personal``), by name on the model."""
    names = {name for name, mark in protected(type(item)).items() if mark is Protection.PERSONAL}
    return {name: getattr(item, name) for name, attribute in type(item).get_attributes().items()
            if attribute.attr_name in names}


def erase_personal(item: Item) -> None:
    """Replace the item's personal attributes by their erased placeholders, in place (a JSON attribute keeps its
    shape, so the record still reads as its kind), then what else its model says erasing changes
    (``after_erasure``: an invoice drops its deleted PDF)."""
    for name, value in personal_values(item).items():
        setattr(item, name, erased_value(value))
    after = getattr(item, "after_erasure", None)
    if callable(after):
        after()


ERASED_IN_PLACE, DELETED = "erased", "deleted"


@dataclass
class ErasureTrace:
    """What one erasure changed: ``items`` maps ``pk|sk`` to ``erased`` (in place) or ``deleted``; ``files`` are the
    keys of the files it deleted. Keys only: a trace holds nothing personal."""

    items: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


_trace: ContextVar[ErasureTrace | None] = ContextVar("atrium_erasure_trace", default=None)


@contextmanager
def tracing() -> Iterator[ErasureTrace]:
    """Trace what the providers erase inside the block."""
    trace = ErasureTrace()
    token = _trace.set(trace)
    try:
        yield trace
    finally:
        _trace.reset(token)


def erase_files(keys: list[str]) -> None:
    """Delete files (keys in the files bucket) that hold the person's data, traced."""
    files.delete(keys)
    if (trace := _trace.get()) is not None:
        trace.files += keys


# Who erases: the audit entries of an erasure name this service, never the person.
ERASER = Ref(type="service", id="privacy.erase", name="personal-data erasure")
ERASURE_APPLIED = "privacy.erasure_applied"
# Items per transaction, leaving room for the audit entry.
_BATCH = 90


def write_erasure(tenant_id: str, provider: str, *, saves: Sequence[Item] = (), deletes: Sequence[Item] = ()) -> int:
    """Save the erased ``saves`` (each at the version read) and delete ``deletes``, in transactions of at most
    ``_BATCH`` items, each audited (``privacy.erasure_applied``, naming the provider and how many records); how many
    items. No event: the erasure as a whole emits ``privacy.erased``."""
    changes = [*(("save", item) for item in saves), *(("delete", item) for item in deletes)]
    for start in range(0, len(changes), _BATCH):
        batch = changes[start:start + _BATCH]
        uow = UnitOfWork(tenant_id, ERASER)
        for kind, item in batch:
            if kind == "save":
                uow.save(item)
            else:
                uow.discard(item)
        uow.record(ERASURE_APPLIED, subject=Ref(type="personal_data", id=provider), data={},
                   metadata={"provider": provider, "items": len(batch)}, emit=False)
        uow.commit()
    if (trace := _trace.get()) is not None:
        trace.items |= {f"{item.pk}|{item.sk}": ERASED_IN_PLACE if kind == "save" else DELETED
                        for kind, item in changes}
    return len(changes)
