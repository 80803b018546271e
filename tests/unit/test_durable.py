"""The data folder: journaled requests replayed in order on top of the snapshot, then compacted; a journal of an
older generation (a crash between compaction's two steps) is not replayed again."""

from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from atrium_local import journal, moto_state
from atrium_local.durable import DataFolder

DYNAMODB_PUT = {"X-Amz-Target": "DynamoDB_20120810.PutItem", "Content-Type": "application/x-amz-json-1.0"}


class Recorder:
    """A WSGI app in moto's place: keeps what reaches it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["wsgi.input"].read()))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]


@pytest.fixture
def snapshots(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """moto's state left alone: a snapshot is its generation."""
    loaded: list[int] = []

    def load(data: bytes) -> int:
        loaded.append(int(data))
        return int(data)

    monkeypatch.setattr(moto_state, "dump", lambda generation: str(generation).encode())
    monkeypatch.setattr(moto_state, "load", load)
    return loaded


def _send(folder: DataFolder, app: Recorder) -> None:
    client = Client(folder.journaled(app))
    client.post("/", data=b'{"TableName": "t", "Item": {"pk": {"S": "1"}}}', headers=DYNAMODB_PUT)
    client.get("/bucket/key")  # a read: not journaled
    client.post("/", data=b"Action=SendMessage&QueueUrl=q", content_type="application/x-www-form-urlencoded")
    client.post("/", data=b"Action=AssumeRole&RoleArn=r&RoleSessionName=s",  # a tenant's session: not state
                content_type="application/x-www-form-urlencoded")
    client.put("/bucket/key", data=b"object bytes")


def test_writes_are_replayed_in_order_then_compacted(tmp_path: Path, snapshots: list[int]) -> None:
    folder, live = DataFolder(tmp_path), Recorder()
    assert folder.restore(live).replayed == 0
    _send(folder, live)

    restarted = Recorder()
    assert folder.restore(restarted).replayed == 2
    assert restarted.seen == [("POST", "/", b'{"TableName": "t", "Item": {"pk": {"S": "1"}}}'),
                              ("PUT", "/bucket/key", b"object bytes")]
    assert snapshots == [1]
    assert journal.generation(tmp_path / "journal.log") == 2
    assert list(journal.records(tmp_path / "journal.log")) == []  # compacted into snapshot 2


def test_a_journal_already_in_the_snapshot_is_not_replayed(tmp_path: Path, snapshots: list[int]) -> None:
    folder = DataFolder(tmp_path)
    folder.restore(Recorder())
    _send(folder, Recorder())
    (tmp_path / "moto-state.pickle").write_bytes(b"2")  # compaction wrote its snapshot, then the stack died

    restarted = Recorder()
    assert folder.restore(restarted).replayed == 0 and restarted.seen == []


def test_fresh_clears_the_folder(tmp_path: Path, snapshots: list[int]) -> None:
    folder = DataFolder(tmp_path / "data")
    folder.restore(Recorder())
    folder.clear()
    assert not (tmp_path / "data").exists()
