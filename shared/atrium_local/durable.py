"""The local stack's data folder: moto's state as a snapshot and the journal of the requests since.

At start the snapshot is loaded and the journal replayed into moto, then both are compacted into a new snapshot
and an empty journal, so start-up costs what the data weighs rather than its history. The snapshot carries a
generation and the journal the generation it continues: a crash between writing the new snapshot and starting
the new journal leaves an old journal that is simply not read again.
"""

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from atrium_local import journal, moto_state
from atrium_local.journal import Journal
from atrium_local.journaled_requests import JournaledApp, WsgiApp, replay
from atrium_local.stream_retention import trim_streams

_SNAPSHOT, _JOURNAL = "moto-state.pickle", "journal.log"


@dataclass(frozen=True)
class Restored:
    replayed: int  # journaled requests applied on top of the snapshot
    seconds: float  # loading, replaying and compacting


class DataFolder:
    def __init__(self, path: Path) -> None:
        self.path = path

    def clear(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def restore(self, app: WsgiApp) -> Restored:
        """Load what the folder holds into moto (through ``app`` for the journal) and compact it."""
        started = time.perf_counter()
        self.path.mkdir(parents=True, exist_ok=True)
        snapshot, log = self.path / _SNAPSHOT, self.path / _JOURNAL
        generation = 0
        if snapshot.exists():
            generation = moto_state.load(snapshot.read_bytes())
        replayed = 0
        if log.exists() and journal.generation(log) == generation:
            for record in journal.records(log):
                replay(app, record)
                replayed += 1
        trim_streams()
        journal.write_atomically(snapshot, moto_state.dump(generation + 1))
        journal.start(log, generation + 1)
        return Restored(replayed, time.perf_counter() - started)

    def journaled(self, app: WsgiApp) -> JournaledApp:
        """``app`` journaling into this folder (after ``restore``)."""
        return JournaledApp(app, Journal(self.path / _JOURNAL))
