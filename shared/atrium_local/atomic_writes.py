"""moto's DynamoDB, made to write as DynamoDB does.

DynamoDB applies each write, and each transaction, atomically. moto's backend does not under threads: a
transaction deep-copies the table while another thread writes to it ("dictionary changed size during
iteration"), and its reads write too (its table is a defaultdict). The local stack, the benchmarks and the
tests serialize moto's item calls here, which makes each write, and each transaction, atomic as in DynamoDB.

moto also backs the whole table up before every transaction, to roll back on failure, so each transaction cost
time in proportion to everything the table held: the local stack slowed with every write it took, until calls
timed out. Here a transaction copies nothing: every condition is checked before anything is written (no two
actions may name one item, so no write can change another action's condition), and the writes keep an undo
log of the items they replace, for the rare write that fails midway (an invalid update expression).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# Reads too: moto's table is a defaultdict, so reading a missing key adds an entry to it.
_SERIALIZED = ("transact_write_items", "put_item", "update_item", "delete_item", "get_item", "query", "scan")
_ACTIONS = {"ConditionCheck", "Put", "Delete", "Update"}
Reason = tuple[str | None, str | None, dict[str, Any] | None]  # moto's cancellation reason: code, message, item
NO_REASON: Reason = (None, None, None)


@dataclass(frozen=True)
class _Action:
    kind: str
    op: dict[str, Any]
    key: dict[str, Any]
    current: Any  # moto's Item before the transaction, or None

    @property
    def table(self) -> str:
        return str(self.op["TableName"])

    def expression(self) -> dict[str, Any]:
        return {"condition_expression": self.op.get("ConditionExpression"),
                "expression_attribute_names": self.op.get("ExpressionAttributeNames"),
                "expression_attribute_values": self.op.get("ExpressionAttributeValues")}


def _key(backend: Any, kind: str, op: dict[str, Any]) -> dict[str, Any]:
    if kind != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    names = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
    return {name: op["Item"][name] for name in names}


def _checked(backend: Any, transact_items: list[dict[str, Any]]) -> list[_Action]:
    """Every action with its item as it stands, or the transaction cancelled with each action's reason."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    actions: list[_Action] = []
    reasons: list[Reason] = []
    named: set[tuple[str, str]] = set()
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        kind, op = next(iter(item.items()))
        try:
            if kind not in _ACTIONS:
                raise ValueError("Unsupported transaction operation")
            key = _key(backend, kind, op)
            name = (str(op["TableName"]), str(dict(sorted(key.items()))))
            if name in named:
                raise MultipleTransactionsException()
            named.add(name)
            action = _Action(kind, op, key, backend.get_item(op["TableName"], key))
            actions.append(action)
            condition = op.get("ConditionExpression")
            if condition is not None and not get_filter_expression(
                    condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            ).expr(action.current):
                old = action.current.to_json()["Attributes"] if (
                    op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and action.current) else None
                reasons.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, old))
                continue
            reasons.append(NO_REASON)
        except (MultipleTransactionsException, MockValidationException):
            raise
        except Exception as error:  # as moto does: the action's reason, named by the error
            reasons.append((type(error).__name__, str(error), None))
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)
    return actions


def _write(backend: Any, action: _Action) -> None:
    if action.kind == "Put":
        backend.put_item(action.table, action.op["Item"], **action.expression())
    elif action.kind == "Delete":
        backend.delete_item(action.table, action.key, **action.expression())
    elif action.kind == "Update":
        backend.update_item(action.table, action.key, update_expression=action.op["UpdateExpression"],
                            **action.expression())


def _undo(backend: Any, done: list[_Action]) -> None:
    for action in reversed(done):
        if action.current is None:
            backend.delete_item(action.table, action.key)
        else:
            backend.put_item(action.table, action.current.to_json()["Attributes"])


def _transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.exceptions import MockValidationException, TransactionCanceledException

    actions = _checked(backend, transact_items)
    streams = [(table.stream_shard, len(table.stream_shard.items))
               for table in backend.tables.values() if table.stream_shard]
    done: list[_Action] = []
    for number, action in enumerate(actions):
        try:
            _write(backend, action)
        except Exception as error:
            _undo(backend, done)
            for shard, length in streams:  # neither the writes nor their undoing happened, as far as readers know
                del shard.items[length:]
            if isinstance(error, MockValidationException):
                raise
            reasons = [NO_REASON] * len(transact_items)
            reasons[number] = (type(error).__name__, str(error), None)
            raise TransactionCanceledException(reasons) from error
        done.append(action)


@contextmanager
def atomic_dynamodb_writes() -> Iterator[None]:
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    originals = {name: getattr(DynamoDBBackend, name) for name in _SERIALIZED}
    replaced = dict(originals, transact_write_items=_transact_write_items)

    def serialized(method: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(*args, **kwargs)

        return call

    for name, method in replaced.items():
        setattr(DynamoDBBackend, name, serialized(method))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(DynamoDBBackend, name, original)
