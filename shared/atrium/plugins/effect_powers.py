"""The host functions whose effect the runner cannot have itself, holding no grant for it: ``events_emit`` (with
``events:emit``) and ``notify`` (with ``notify``) check the request and collect it; the caller, which holds the
grants, carries the effects out after the run (``effects.py``). At most ``MAX_EFFECTS`` per invocation."""

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from atrium.plugins.runtime.sandbox import Power, PowerError

MAX_EFFECTS, MAX_EVENT_BYTES = 10, 16 * 1024
EventName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}(\.[a-z][a-z0-9_]{0,63}){0,2}$")]


class EmittedEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: EventName
    data: dict[str, Any] = Field(default_factory=dict)


class Notification(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: Annotated[str, StringConstraints(pattern=r"^(admins|usr_[0-9A-Za-z]{26})$")] = "admins"
    subject: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def effect_powers(effects: list[dict[str, Any]]) -> dict[str, Power]:
    def collected(kind: str, model: type[BaseModel], request: Any) -> None:
        if len(effects) >= MAX_EFFECTS:
            raise PowerError(f"at most {MAX_EFFECTS} events and notifications per invocation")
        try:
            checked = model.model_validate(request)
        except ValidationError as invalid:
            error = invalid.errors()[0]
            raise PowerError(f"{kind}: {error['msg']} at {'.'.join(map(str, error['loc']))}") from None
        if kind == "event" and len(json.dumps(request).encode()) > MAX_EVENT_BYTES:
            raise PowerError(f"an event is at most {MAX_EVENT_BYTES} bytes of JSON")
        effects.append({"kind": kind, **checked.model_dump()})

    return {"events_emit": lambda request: collected("event", EmittedEvent, request),
            "notify": lambda request: collected("notify", Notification, request)}
