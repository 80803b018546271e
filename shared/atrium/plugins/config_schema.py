"""A plugin's configuration schema (its manifest's ``config``) and how a configuration is checked against it.

The schema is JSON Schema, restricted to what a settings form needs: an object of at most 50 flat properties,
each a ``string``, ``integer``, ``number`` or ``boolean`` with ``description``, ``default``, ``enum``, ``minimum``,
``maximum``, ``minLength``, ``maxLength`` and ``pattern``; ``required`` names those that must be set; no other
property is accepted. A property marked ``writeOnly`` is a secret: set through the API, never read back, and given
to the plugin only through ``secrets_get`` with the ``secrets`` permission. Values are checked by a pydantic model
made from the schema, strictly (``"3"`` is no integer)."""

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model, model_validator

# Not ``model_...``: pydantic's own names (a property could never be set).
ConfigKey = Annotated[str, StringConstraints(pattern=r"^(?!model_)[a-z][a-z0-9_]{0,63}$")]
# Patterns are Python's regular expressions, checked and applied by the same engine.
_VALUES = ConfigDict(extra="forbid", regex_engine="python-re")
MAX_PROPERTIES = 50
_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}


class ConfigProperty(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: Literal["string", "integer", "number", "boolean"]
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    default: str | int | float | bool | None = None
    enum: list[str | int | float] | None = Field(None, min_length=1, max_length=100)
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = Field(None, alias="minLength", ge=0)
    max_length: int | None = Field(None, alias="maxLength", ge=1, le=10_000)
    pattern: Annotated[str, StringConstraints(max_length=500)] | None = None
    write_only: bool = Field(False, alias="writeOnly", description="A secret: never read back")

    @model_validator(mode="after")
    def _coherent(self) -> "ConfigProperty":
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise ValueError(f"pattern is not a regular expression: {error}") from None
        if self.write_only and self.default is not None:
            raise ValueError("a secret (writeOnly) has no default")
        if self.default is not None and _invalid(self, self.default):
            raise ValueError("default does not satisfy the property's own constraints")
        return self


class ConfigSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, regex_engine="python-re")

    type: Literal["object"] = "object"
    properties: dict[ConfigKey, ConfigProperty] = Field(default_factory=dict, max_length=MAX_PROPERTIES)
    required: list[ConfigKey] = Field(default_factory=list)
    additional_properties: Literal[False] = Field(False, alias="additionalProperties")

    @model_validator(mode="after")
    def _required_are_properties(self) -> "ConfigSchema":
        unknown = sorted(set(self.required) - set(self.properties))
        if unknown:
            raise ValueError(f"required names properties the schema does not have: {unknown}")
        try:
            values_model(self)
        except Exception as error:  # what pydantic cannot build is the schema's fault, said as such
            raise ValueError(f"the schema cannot be applied: {str(error).splitlines()[0]}") from None
        return self

    def secrets(self) -> set[str]:
        return {name for name, spec in self.properties.items() if spec.write_only}

    def defaults(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.properties.items() if spec.default is not None}

    @classmethod
    def of(cls, stored: str | None) -> "ConfigSchema":
        """A plugin's, from its item's JSON (none: no settings)."""
        return cls.model_validate_json(stored) if stored else cls()


def _annotation(spec: ConfigProperty) -> Any:
    if spec.enum is not None:
        return Literal[tuple(spec.enum)]
    constraints: dict[str, Any] = {"strict": True}
    if spec.type in ("integer", "number"):
        constraints |= {"ge": spec.minimum, "le": spec.maximum}
    if spec.type == "string":
        constraints |= {"min_length": spec.min_length, "max_length": spec.max_length, "pattern": spec.pattern}
    kind = _TYPES[spec.type] if spec.type != "number" else int | float
    return Annotated[kind, Field(**{name: value for name, value in constraints.items() if value is not None})]


def _invalid(spec: ConfigProperty, value: Any) -> bool:
    probe = create_model("Probe", __config__=_VALUES, value=(_annotation(spec), ...))
    try:
        probe(value=value)
    except ValidationError:
        return True
    return False


def values_model(schema: ConfigSchema) -> type[BaseModel]:
    """A model of a whole configuration: each property optional unless required, nothing else accepted."""
    fields: dict[str, Any] = {
        name: (_annotation(spec), ... if name in schema.required else spec.default)
        for name, spec in schema.properties.items()}
    return create_model("PluginConfig", __config__=_VALUES, **fields)
