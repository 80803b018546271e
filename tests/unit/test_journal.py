"""The local stack's write-ahead journal: records in order, a torn last record ignored, generations."""

from pathlib import Path

from atrium_local import journal
from atrium_local.journal import Journal


def _written(path: Path, records: list[bytes], generation: int = 1) -> Path:
    journal.start(path, generation)
    appender = Journal(path)
    for record in records:
        appender.append(record)
    appender.close()
    return path


def test_records_read_back_in_the_order_appended(tmp_path: Path) -> None:
    path = _written(tmp_path / "journal.log", [b"first", b"", b"third\nwith a newline"])
    assert list(journal.records(path)) == [b"first", b"", b"third\nwith a newline"]
    assert journal.generation(path) == 1


def test_a_torn_last_record_ends_the_journal(tmp_path: Path) -> None:
    path = _written(tmp_path / "journal.log", [b"kept", b"torn by a crash"])
    path.write_bytes(path.read_bytes()[:-3])
    assert list(journal.records(path)) == [b"kept"]


def test_a_record_that_does_not_match_its_checksum_ends_the_journal(tmp_path: Path) -> None:
    path = _written(tmp_path / "journal.log", [b"kept", b"garbled", b"after"])
    data = path.read_bytes()
    at = data.index(b"garbled")
    path.write_bytes(data[:at] + b"G" + data[at + 1:])
    assert list(journal.records(path)) == [b"kept"]


def test_starting_a_journal_empties_it_for_its_generation(tmp_path: Path) -> None:
    path = _written(tmp_path / "journal.log", [b"old"], generation=3)
    journal.start(path, 4)
    assert journal.generation(path) == 4 and list(journal.records(path)) == []
    assert journal.generation(tmp_path / "missing.log") is None
