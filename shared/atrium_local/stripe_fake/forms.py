"""Stripe's request encoding: form fields whose names carry the nesting (``metadata[tenant_id]=ten_1``,
``line_items[0][price]=price_1``), decoded into the dicts and lists the parameters stand for."""

import re
from collections.abc import Iterable
from typing import Any

_NAME = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


class MalformedParameter(ValueError):
    """A field name Stripe's encoding cannot produce (``a[b``)."""


def _listed(value: Any) -> Any:
    """Dicts keyed 0, 1, 2... (how lists are sent) become lists, at any depth."""
    if not isinstance(value, dict):
        return value
    decoded = {key: _listed(item) for key, item in value.items()}
    if decoded and all(key.isdigit() for key in decoded):
        return [decoded[key] for key in sorted(decoded, key=int)]
    return decoded


def decode(fields: Iterable[tuple[str, str]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in fields:
        match = _NAME.match(name)
        if match is None:
            raise MalformedParameter(name)
        path = [match.group(1), *_PART.findall(match.group(2))]
        node = params
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise MalformedParameter(name)
            node = child
        node[path[-1]] = value
    decoded: dict[str, Any] = _listed(params)
    return decoded
