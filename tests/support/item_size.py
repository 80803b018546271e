"""The size of a DynamoDB item as DynamoDB bills it, from its wire form (``{"name": {"S": "..."}}``).

The rules from the DynamoDB developer guide ("Item sizes and formats"): an attribute costs its name's UTF-8
bytes plus its value's; a string its UTF-8 bytes; a number 1 byte per two significant digits plus 1; binary
its raw bytes; a boolean or null 1 byte; a list or map 3 bytes plus 1 byte and the size of each element (a
map's keys count like attribute names); a set the sum of its elements.
"""

import base64
import binascii
import math
from collections.abc import Mapping
from typing import Any


def _number(text: str) -> int:
    digits = text.lstrip("+-").lower().split("e")[0].replace(".", "").strip("0")
    return math.ceil(max(len(digits), 1) / 2) + 1


def _binary(value: Any) -> int:
    if isinstance(value, bytes | bytearray):
        return len(value)
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value).encode())


def _value(value: Any) -> int:
    if not isinstance(value, Mapping) or len(value) != 1:
        return len(str(value).encode())  # not in wire form (a boto3 resource's plain values): a rough size
    (kind, inner), = value.items()
    match kind:
        case "S":
            return len(str(inner).encode())
        case "N":
            return _number(str(inner))
        case "B":
            return _binary(inner)
        case "BOOL" | "NULL":
            return 1
        case "SS":
            return sum(len(str(element).encode()) for element in inner)
        case "NS":
            return sum(_number(str(element)) for element in inner)
        case "BS":
            return sum(_binary(element) for element in inner)
        case "L":
            return 3 + sum(1 + _value(element) for element in inner)
        case "M":
            return 3 + sum(1 + len(str(key).encode()) + _value(element) for key, element in inner.items())
        case _:
            return len(str(inner).encode())


def item_size(item: Mapping[str, Any]) -> int:
    """Bytes: the sum over the item's attributes of the name's size and the value's."""
    return sum(len(name.encode()) + _value(value) for name, value in item.items())
