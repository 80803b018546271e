"""Retention API shapes."""

from pydantic import BaseModel, ConfigDict, Field


class RetentionRuleOut(BaseModel):
    name: str = Field(description="<context>.<what>, as `PUT` names it")
    description: str
    days: int = Field(description="How long the tenant keeps it: its choice, else the default")
    default_days: int
    minimum_days: int
    maximum_days: int


class RetentionOut(BaseModel):
    rules: list[RetentionRuleOut]


class RetentionChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"days": {"jobs.finished": 90}}]})

    days: dict[str, int] = Field(description="Days by rule name, each within the rule's minimum and maximum; rules "
                                             "left out keep what they have", min_length=1)
