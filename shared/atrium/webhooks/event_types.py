"""The catalog of event types a webhook endpoint may subscribe to, each with its data's JSON schema and an
example. Internal signals (``EventType.deliverable`` False) are left out: they are never delivered."""

from functools import cache
from typing import Any

from atrium import manifest
from atrium.kernel.errors import Forbidden, Unprocessable
from atrium.kernel.events.catalog import EventType
from atrium.kernel.tenancy import Principal

# What a string of a known format looks like, when the schema gives no example.
_FORMATS = {"email": "someone@example.com", "date-time": "2025-01-01T00:00:00Z", "date": "2025-01-01",
            "uri": "https://example.com/", "uuid": "00000000-0000-4000-8000-000000000000"}


def deliverable() -> list[EventType]:
    return sorted((t for t in manifest.event_types() if t.deliverable), key=lambda t: t.name)


@cache
def deliverable_names() -> frozenset[str]:
    return frozenset(t.name for t in deliverable())


def schema(event_type: EventType) -> dict[str, Any]:
    return event_type.data.model_json_schema()


def example(event_type: EventType) -> dict[str, Any]:
    """The model's own first example, else a minimal instance built from its schema."""
    found = schema(event_type)
    if found.get("examples"):
        declared: dict[str, Any] = found["examples"][0]
        return declared
    built: dict[str, Any] = _instance(found, found.get("$defs", {}))
    return built


def _instance(node: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A small value that satisfies ``node``: required properties only, the first choice of a union."""
    if "$ref" in node:
        return _instance(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    if "examples" in node:
        return node["examples"][0]
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    if "anyOf" in node:
        return _instance(node["anyOf"][0], defs)
    if "allOf" in node:
        return _instance(node["allOf"][0], defs)
    kind = node.get("type", "object")
    if kind == "object":
        return {name: _instance(node["properties"][name], defs) for name in node.get("required", [])}
    if kind == "array":
        return [_instance(node.get("items", {}), defs) for _ in range(node.get("minItems", 0))]
    if kind == "string":
        text = _FORMATS.get(node.get("format", ""), "example")
        return text.ljust(node.get("minLength", 0), "x")
    if kind in ("integer", "number"):
        return max(node.get("minimum", 1), node.get("exclusiveMinimum", 0) + 1)
    if kind == "boolean":
        return True
    return None


def check_subscribable(names: list[str], *, field: str) -> list[str]:
    """``names`` without repeats, each a deliverable event type, or 422 naming the others."""
    unknown = [name for name in names if name not in deliverable_names()]
    if unknown:
        raise Unprocessable("unknown or internal event types; see GET /v1/event-types", errors=[
            {"field": field, "message": f"{name} is not an event type an endpoint can receive", "code": "unknown"}
            for name in unknown])
    return list(dict.fromkeys(names))


def check_readable(principal: Principal, subscribed: list[str]) -> None:
    """403 unless ``principal`` may read the data of every type ``subscribed`` names (an empty subscription is
    every type): an endpoint must not deliver what whoever configures it could not read."""
    wanted = set(subscribed) or deliverable_names()
    needed = sorted({t.read_permission for t in deliverable() if t.name in wanted and t.read_permission})
    missing = [permission for permission in needed if not principal.can(permission)]
    if missing:
        every = "every event type" if not subscribed else "these event types"
        raise Forbidden(f"an endpoint subscribed to {every} delivers data only these permissions read: "
                        f"{', '.join(missing)}")
