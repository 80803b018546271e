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
        self._generation = 0

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
        self._generation = generation
        self._compact()
        return Restored(replayed, time.perf_counter() - started)

    def journaled(self, app: WsgiApp) -> JournaledApp:
        """``app`` journaling into this folder (after ``restore``)."""
        return JournaledApp(app, Journal(self.path / _JOURNAL))

    def keep_provisioned(self, journaled: JournaledApp) -> None:
        """Snapshot what provisioning made at start, if anything: a KMS key replayed from the journal would be
        another key (a new id and key material), and what the old one wrapped would no longer unwrap."""
        journaled.compact(self._restarted)

    def _compact(self) -> None:
        """moto as it is now in a new snapshot, and an empty journal continuing it."""
        self._generation += 1
        journal.write_atomically(self.path / _SNAPSHOT, moto_state.dump(self._generation))
        journal.start(self.path / _JOURNAL, self._generation)

    def _restarted(self) -> Journal:
        self._compact()
        return Journal(self.path / _JOURNAL)
