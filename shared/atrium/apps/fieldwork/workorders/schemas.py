"""API shapes of work orders: their line items (amounts in integer cents, computed, never sent), the schedule of a
visit, and the lifecycle's statuses."""

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    computed_field,
    model_validator,
)

from atrium.apps.fieldwork.schemas import Name, Notes, Stamped

MAX_ASSEMBLIES = 50  # with the customer, one BatchGetItem reads them all
MAX_LINE_ITEMS = 100


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    INVOICED = "invoiced"
    CLOSED = "closed"
    CANCELED = "canceled"


class LineItemKind(StrEnum):
    TEST = "test"
    REPAIR = "repair"
    PART = "part"
    TRIP_CHARGE = "trip_charge"


Id = Annotated[str, StringConstraints(max_length=40)]


def _once_each(assembly_ids: list[str]) -> list[str]:
    if len(set(assembly_ids)) != len(assembly_ids):
        raise ValueError("name each assembly once")
    return assembly_ids


AssemblyIds = Annotated[list[Id], Field(min_length=1, max_length=MAX_ASSEMBLIES,
                                        description="The customer's assemblies the visit is for"),
                        AfterValidator(_once_each)]
TimeOfDay = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
                      Field(description="A time of day at the site, HH:MM (24-hour)")]


class LineItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: LineItemKind
    description: Name
    quantity: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    unit_price_cents: Annotated[int, Field(strict=True, ge=0, le=100_000_000, description="In cents")]
    assembly_id: Annotated[Id | None, Field(description="One of the order's assemblies, when the item is for one")] \
        = None


class LineItemOut(LineItem):
    model_config = ConfigDict(extra="ignore")  # read back from a list page's copy, which holds its amount

    @computed_field  # type: ignore[prop-decorator]
    @property
    def amount_cents(self) -> int:
        """The quantity times the unit price, in cents."""
        return self.quantity * self.unit_price_cents


LineItems = Annotated[list[LineItem], Field(max_length=MAX_LINE_ITEMS)]


class Window(BaseModel):
    """When the tester arrives, in the site's time of day."""

    model_config = ConfigDict(extra="forbid")

    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("the window ends after it starts")
        return self


_TEST_LINE: dict[str, JsonValue] = {"kind": "test", "description": "Annual backflow test", "quantity": 1,
                                    "unit_price_cents": 8500, "assembly_id": "asm_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}
_TRIP_LINE: dict[str, JsonValue] = {"kind": "trip_charge", "description": "Trip charge", "quantity": 1,
                                    "unit_price_cents": 2500}
_LINE_ITEMS_EXAMPLE: list[JsonValue] = [_TEST_LINE, _TRIP_LINE]
_WORK_ORDER_EXAMPLE: dict[str, JsonValue] = {
    "customer_id": "cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "assembly_ids": ["asm_01JDQ3Z8M4W6N0B2C4E6G8J0K2"],
    "line_items": _LINE_ITEMS_EXAMPLE, "notes": "Call ahead: the meter room is locked"}


class WorkOrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_WORK_ORDER_EXAMPLE]})

    customer_id: Id
    assembly_ids: AssemblyIds
    line_items: LineItems = Field(default_factory=list)
    notes: Notes = ""


class WorkOrderUpdate(BaseModel):
    """A draft or scheduled order's fields; left out (or null): kept. ``line_items`` replaces them all."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"notes": "Gate code 5521"}]})

    assembly_ids: AssemblyIds | None = None
    line_items: LineItems | None = None
    notes: Notes | None = None


class LineItemsChange(BaseModel):
    """What the visit took, recorded from the field: every line item (they replace the order's)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"line_items": _LINE_ITEMS_EXAMPLE}]})

    line_items: LineItems


class ScheduleChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "scheduled_on": "2026-12-03", "window": {"start": "08:00", "end": "10:00"},
        "tester_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}]})

    scheduled_on: dt.date = Field(description="The day of the visit")
    window: Window
    tester_id: Annotated[Id, Field(description="An active member holding the tester role")]


class WorkOrderChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_WORK_ORDER_EXAMPLE | {
        "line_items": [_TEST_LINE | {"amount_cents": 8500}, _TRIP_LINE | {"assembly_id": None, "amount_cents": 2500}],
        "id": "wo_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "status": "scheduled", "scheduled_on": "2026-12-03",
        "window": {"start": "08:00", "end": "10:00"}, "tester_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
        "invoice_id": None, "started_at": None, "completed_at": None, "canceled_at": None, "invoiced_at": None,
        "closed_at": None, "total_cents": 11000}]})

    id: str
    customer_id: str
    assembly_ids: list[str]
    line_items: list[LineItemOut]
    notes: str
    status: Status
    scheduled_on: dt.date | None
    window: Window | None
    tester_id: str | None = Field(description="Who does the visit: alone (or whoever schedules orders) starts and "
                                              "completes it")
    invoice_id: str | None = Field(description="The invoice that billed it")
    started_at: str | None
    completed_at: str | None
    canceled_at: str | None
    invoiced_at: str | None
    closed_at: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_cents(self) -> int:
        """The line items' amounts added up, in cents."""
        return sum(item.amount_cents for item in self.line_items)


class WorkOrderOut(WorkOrderChanged, Stamped):
    pass


class WorkOrderList(BaseModel):
    data: list[WorkOrderOut]
    next_cursor: str | None
