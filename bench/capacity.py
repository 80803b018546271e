"""DynamoDB request units per call, from the facts the AWS call hook records (tests/support/aws_hook.py).

On-demand billing: a write unit (WRU) writes 1 KB, a read unit (RRU) reads 4 KB strongly consistent, twice
that eventually consistent; sizes round up per item (per call for Query). A transactional write costs 2 WRU
per KB of each item, a transactional read 2 RRU per 4 KB. A written item that carries an index's key
attributes is also written to that index (projection ALL): 1 WRU per KB, as a standard write.

Sizes come from the request (a Put carries its item) or the response (a Get returns its item). An Update,
Delete or ConditionCheck does not show the stored item: it is counted as 1 KB.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from atrium.kernel.store.table import TABLE

WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
UNKNOWN_SIZE = WRITE_UNIT_BYTES  # an item whose size the call does not show


@dataclass(frozen=True)
class Units:
    rru: float = 0.0
    wru: float = 0.0  # the table's write units
    index_wru: float = 0.0  # the secondary indexes' write units

    def __add__(self, other: "Units") -> "Units":
        return Units(self.rru + other.rru, self.wru + other.wru, self.index_wru + other.index_wru)

    @property
    def total_wru(self) -> float:
        return self.wru + self.index_wru


def _write_units(size: int | None) -> int:
    return max(1, math.ceil((UNKNOWN_SIZE if size is None else size) / WRITE_UNIT_BYTES))


def _read_units(size: int) -> int:
    return max(1, math.ceil(size / READ_UNIT_BYTES))


def _index_units(item: Mapping[str, Any]) -> int:
    """Index writes for a written item: each index whose key attributes the item has (sparse indexes)."""
    attributes = set(item["attributes"])
    hits = sum(1 for index in TABLE.indexes if {index.partition_key, index.sort_key} <= attributes)
    return hits * _write_units(item["size"])


def units(call: Mapping[str, Any], *, shards: int = 1) -> Units:
    """The request units of one DynamoDB call; ``shards`` > 1 fans a Query out to that many partitions."""
    items: Sequence[Mapping[str, Any]] = call["items"]
    consistent = 1.0 if call.get("consistent_read") else 0.5
    match call["operation"]:
        case "TransactWriteItems":
            return Units(wru=sum(2 * _write_units(item["size"]) for item in items),
                         index_wru=sum(_index_units(item) for item in items))
        case "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem":
            return Units(wru=sum(_write_units(item["size"]) for item in items),
                         index_wru=sum(_index_units(item) for item in items))
        case "GetItem" | "BatchGetItem":
            return Units(rru=sum(consistent * _read_units(item["size"]) for item in items) or consistent)
        case "TransactGetItems":
            return Units(rru=sum(2 * _read_units(item["size"]) for item in items))
        case "Query" | "Scan":
            size = sum(item["size"] for item in items)
            # Fanned out, each partition's Query is billed on its own (at least 1 unit each).
            return Units(rru=shards * consistent * _read_units(math.ceil(size / shards)))
        case _:
            return Units()


def row_units(calls: Sequence[Mapping[str, Any]], *, shards: int = 1) -> Units:
    total = Units()
    for call in calls:
        total += units(call, shards=shards)
    return total
