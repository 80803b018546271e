"""The erasures a restore replays: a backup taken before a person was erased still holds them, so a restore changes
again, in what it writes, what each erasure carried out since the backup started changed (their traces,
``privacy/traces.py``): an item erased in place is written erased (``erase_personal``, sealed under the target's
key), one deleted is not written, a file deleted is not copied back."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atrium.compliance.privacy import traces
from atrium.compliance.privacy.erasures import COMPLETED, FAILED
from atrium.compliance.privacy.models import ErasureItem
from atrium.compliance.tenant_items import RawItem, entity_of
from atrium.kernel import files
from atrium.kernel.personal_data import DELETED, erase_personal
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item


@dataclass
class Replay:
    """What to change again, by key in the target tenant; what was changed, by type."""

    items: dict[tuple[str, str], str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)  # names under the tenant's prefix
    erasures: int = 0
    changed: dict[str, int] = field(default_factory=dict)

    def apply(self, written: list[RawItem]) -> list[RawItem]:
        """The items as the erasures left them (in the target's scope)."""
        kept = []
        for raw in written:
            change = self.items.get((raw["pk"]["S"], raw["sk"]["S"]))
            if change is not None:
                entity = entity_of(raw)
                self.changed[entity] = self.changed.get(entity, 0) + 1
                if change == DELETED:
                    continue
                item = Item.from_raw_data(raw)
                erase_personal(item)
                raw = item.serialize()
            kept.append(raw)
        return kept

    def restored_files(self, manifest: dict[str, Any]) -> list[dict[str, Any]]:
        """The backup's files but those an erasure deleted."""
        return [copied for copied in manifest["files"] if copied["key"] not in self.files]

    def summary(self) -> dict[str, object]:
        return {"erasures": self.erasures, "items": dict(sorted(self.changed.items())),
                "files": len(self.files)}


def since(source: str, target: str, started_at: datetime) -> Replay:
    """The traces of ``source``'s erasures carried out (or refused part way) since ``started_at``, their keys
    rewritten to ``target``'s (in ``source``'s scope)."""
    replay, root = Replay(), files.tenant_key(source, "")
    carried_out = [erasure for erasure in Item.gsi1.query(keys.collection_pk(source, ErasureItem.type_name()))
                   if isinstance(erasure, ErasureItem) and erasure.status in (COMPLETED, FAILED)
                   and erasure.updated_at >= started_at]
    for erasure in carried_out:
        trace = traces.read(source, erasure.id)
        if trace is None:
            continue
        replay.erasures += 1
        for key, change in trace.items.items():
            pk, sk = key.replace(source, target).split("|", 1)
            replay.items[(pk, sk)] = change
        replay.files |= {name.removeprefix(root) for name in trace.files}
    return replay
