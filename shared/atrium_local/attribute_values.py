"""moto's DynamoDB answers, written straight to the wire.

moto writes every answer by walking botocore's model of the output, member by member, trying several spellings
of each member's name on the value. For DynamoDB's ``AttributeValue`` (ten members, nested to any depth in every
item of every Query, BatchGetItem and stream record) that walk is most of what a call costs: it took a quarter of
the API tests' time. moto's results already hold each attribute value as its wire-format dict (``{"S": ...}``,
binary values as bytes), so here they go to the answer as they are, binary values in base64, as moto's serializer
would write them (``tests/integration/test_moto_attribute_values.py`` compares the two). Any other value takes
moto's own path.
"""

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.serialize import JSONSerializer

_ORIGINAL = JSONSerializer._serialize_type_structure


def _base64(value: bytes | str) -> str:
    return base64.b64encode(value.encode() if isinstance(value, str) else value).decode()


def _wire(attribute: dict[str, Any]) -> dict[str, Any]:
    ((kind, value),) = attribute.items()
    if kind == "M":
        return {"M": {name: _wire(member) for name, member in value.items()}}
    if kind == "L":
        return {"L": [_wire(member) for member in value]}
    if kind == "B":
        return {"B": _base64(value)}
    if kind == "BS":
        return {"BS": [_base64(member) for member in value]}
    return {kind: value}


def _serialize_type_structure(serializer: JSONSerializer, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if shape.name == "AttributeValue" and isinstance(value, dict) and len(value) == 1:
        serialized[key] = _wire(value)
    else:
        _ORIGINAL(serializer, serialized, value, shape, key)


@contextmanager
def fast_attribute_values() -> Iterator[None]:
    JSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        JSONSerializer._serialize_type_structure = _ORIGINAL  # type: ignore[method-assign]
