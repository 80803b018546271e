"""Several items of a change read in one BatchGetItem, strongly consistent (the change is decided on them)."""

from typing import TypeVar

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

T = TypeVar("T", bound=Item)


class Found:
    def __init__(self, wanted: list[Item]) -> None:
        for item in wanted:
            item.assign_keys()
        self._items = {type(item): item for item in
                       Item.batch_get([(item.pk, keys.ENTITY_SK) for item in wanted], consistent_read=True)}

    def get(self, kind: type[T]) -> T | None:
        item = self._items.get(kind)
        return item if isinstance(item, kind) else None
