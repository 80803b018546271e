"""moto's DynamoDB, made to write as DynamoDB does.

DynamoDB applies each write, and each transaction, atomically. moto's backend does not under threads: a
transaction deep-copies the table while another thread writes to it ("dictionary changed size during
iteration"), and its reads write too (its table is a defaultdict). The local stack, the benchmarks and the
tests serialize moto's item calls here, which makes each write, and each transaction, atomic as in DynamoDB.

moto also backs the table up once per item of a transaction (to roll back on failure), so a transaction of
ten items copied the whole table, and every stream record the table ever produced, ten times: the local stack
slowed with every write it had taken, until calls timed out. The copies are the same backup, so one is made;
it shares the live stream, and a rolled-back transaction takes back the records it added.
"""

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

# Reads too: moto's table is a defaultdict, so reading a missing key adds an entry to it.
_SERIALIZED = ("transact_write_items", "put_item", "update_item", "delete_item", "get_item", "query", "scan")


def _one_backup_per_table() -> SimpleNamespace:
    """Stands in for the ``copy`` module inside moto's backend during one transaction."""
    from moto.dynamodb.models.table import Table

    backups: dict[int, Table] = {}

    def deepcopy(value: Any) -> Any:
        if not isinstance(value, Table):
            return copy.deepcopy(value)
        if id(value) not in backups:
            shard = value.stream_shard
            backups[id(value)] = copy.deepcopy(value, {id(shard): shard} if shard else {})
        return backups[id(value)]

    return SimpleNamespace(deepcopy=deepcopy)


@contextmanager
def atomic_dynamodb_writes() -> Iterator[None]:
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    originals = {name: getattr(DynamoDBBackend, name) for name in _SERIALIZED}

    def serialized(original: Any) -> Any:
        def write(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return original(*args, **kwargs)

        return write

    def transaction(backend: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
        with lock:
            streams = {name: (table.stream_shard, len(table.stream_shard.items))
                       for name, table in backend.tables.items() if table.stream_shard}
            setattr(models, "copy", _one_backup_per_table())  # noqa: B010 - a module global of moto's
            try:
                return originals["transact_write_items"](backend, *args, **kwargs)
            except Exception:
                for name, (shard, length) in streams.items():  # the backup moto restored shares the stream
                    del shard.items[length:]
                    shard.table = backend.tables[name]
                raise
            finally:
                setattr(models, "copy", copy)  # noqa: B010

    for name, original in originals.items():
        setattr(DynamoDBBackend, name, serialized(original))
    DynamoDBBackend.transact_write_items = transaction  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(DynamoDBBackend, name, original)
