"""Projection entries: copies of an item kept in other keys (list indexes), rewritten in the item's own
transaction so they never disagree with it."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from atrium.kernel.errors import PreconditionFailed
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork

P = TypeVar("P", bound=Item)


def rewrite_projections(uow: UnitOfWork, stored: Iterable[P], wanted: Iterable[P], key: Callable[[P], str]) -> None:
    """Save the entries the item now has (``wanted``) and delete those it no longer has. Each entry that exists
    (``stored``, as read with the item) is saved at the version read, and a new one only if still absent, so a
    concurrent change fails the whole transaction as a stale read (412)."""
    replacements = {key(entry): entry for entry in wanted}
    for entry in stored:
        replacement = replacements.pop(key(entry), None)
        if replacement is None:
            uow.delete(entry)
        else:
            replacement.version = entry.version
            uow.save(replacement)
    for entry in replacements.values():
        uow.create(entry, conflict=PreconditionFailed("changed by another request; read it again"))
