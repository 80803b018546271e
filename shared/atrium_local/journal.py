"""A write-ahead journal: records appended and fsync'ed one by one, read back in order.

Each record is framed by its length and CRC-32, so a record torn by a crash mid-append (the process killed, the
machine down) reads as the end of the journal: it was never acknowledged, since ``append`` returns only once the
record is on disk. The file opens with the generation of the snapshot it continues (``atrium_local.durable``): a
journal of another generation is already inside the snapshot and is not read.
"""

import os
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

_MAGIC = b"ATRJ1\n"
_HEADER = struct.Struct(">Q")  # the generation
_FRAME = struct.Struct(">II")  # length, CRC-32 of the record


def _fsync_folder(folder: Path) -> None:
    """A file created or renamed into a folder survives a crash once the folder is synced too."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: a crash leaves the old file or the new one."""
    staged = path.with_name(path.name + ".tmp")
    with staged.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    staged.replace(path)
    _fsync_folder(path.parent)


def start(path: Path, generation: int) -> None:
    """An empty journal of ``generation`` in place of whatever was at ``path``."""
    write_atomically(path, _MAGIC + _HEADER.pack(generation))


def generation(path: Path) -> int | None:
    """The generation the journal at ``path`` continues, or None when there is none."""
    try:
        with path.open("rb") as file:
            head = file.read(len(_MAGIC) + _HEADER.size)
    except FileNotFoundError:
        return None
    if len(head) < len(_MAGIC) + _HEADER.size or not head.startswith(_MAGIC):
        return None
    (found,) = _HEADER.unpack_from(head, len(_MAGIC))
    return int(found)


def records(path: Path) -> Iterator[bytes]:
    """Every whole record, in the order appended; a torn or corrupt record ends the journal."""
    with path.open("rb") as file:
        file.seek(len(_MAGIC) + _HEADER.size)
        while len(frame := file.read(_FRAME.size)) == _FRAME.size:
            length, checksum = _FRAME.unpack(frame)
            record = file.read(length)
            if len(record) < length or zlib.crc32(record) != checksum:
                return
            yield record


class Journal:
    """Appends to an existing journal file (``start`` makes one); safe to call from many threads."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("ab")
        self._lock = threading.Lock()
        self.appended = 0  # records this process appended

    def append(self, record: bytes) -> None:
        """Returns once the record is on disk."""
        with self._lock:
            self._file.write(_FRAME.pack(len(record), zlib.crc32(record)) + record)
            self._file.flush()
            os.fsync(self._file.fileno())
            self.appended += 1

    def close(self) -> None:
        self._file.close()
