"""API shapes of assemblies."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from atrium.apps.fieldwork.schemas import Line, Name, Serial, Stamped


class AssemblyType(StrEnum):
    RP = "RP"  # reduced pressure principle
    DC = "DC"  # double check valve
    PVB = "PVB"  # pressure vacuum breaker
    SVB = "SVB"  # spill-resistant vacuum breaker
    DCDA = "DCDA"  # double check detector assembly
    RPDA = "RPDA"  # reduced pressure detector assembly


class Hazard(StrEnum):
    HIGH = "high"
    LOW = "low"


class DueStatus(StrEnum):
    UNTESTED = "untested"  # no passed test on record, so no due date
    COMPLIANT = "compliant"
    DUE_SOON = "due_soon"  # within 60 days of its next due date
    OVERDUE = "overdue"  # past it


class Reminder(StrEnum):
    """The reminders of a due date sent to the customer, in order."""

    DAYS_60 = "60_days"
    DAYS_30 = "30_days"
    DAYS_7 = "7_days"
    OVERDUE = "overdue"  # the day after the due date


Size = Annotated[float, Field(gt=0, le=72, description="Nominal size in inches (0.75, 2, ...)")]
DistrictId = Annotated[str, StringConstraints(max_length=40)]

_ASSEMBLY_EXAMPLE: dict[str, JsonValue] = {
    "district_id": "dst_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "type": "RP", "make": "Watts", "model": "909",
    "serial": "A12345", "size_inches": 0.75, "location": "Meter room, north wall", "hazard": "high",
    "install_date": "2019-04-02"}


class AssemblyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_ASSEMBLY_EXAMPLE | {
        "last_test_date": "2026-03-10"}]})

    district_id: DistrictId = Field(description="The water district it reports to")
    type: AssemblyType
    make: Name
    model: Name
    serial: Serial = Field(description="Unique on its site, whatever the case")
    size_inches: Size
    location: Line = Field(default="", description="Where on the site")
    hazard: Hazard
    install_date: dt.date | None = None
    last_test_date: dt.date | None = Field(default=None, description="Its last passed test before these records: "
                                                                     "the next one is due after the district's "
                                                                     "interval")


class AssemblyUpdate(BaseModel):
    """Fields left out (or null) keep their value. An assembly stays on its site and with its district; its test
    dates come from its reports."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"location": "Basement, by the boiler"}]})

    make: Name | None = None
    model: Name | None = None
    serial: Serial | None = None
    size_inches: Size | None = None
    location: Line | None = None
    hazard: Hazard | None = None
    install_date: dt.date | None = None


class AssemblyChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_ASSEMBLY_EXAMPLE | {
        "id": "asm_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "site_id": "sit_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
        "customer_id": "cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "last_test_date": "2026-03-10",
        "next_due_date": "2027-03-10", "status": "compliant", "last_reminder": None, "report_count": 0}]})

    id: str
    site_id: str
    customer_id: str
    district_id: str
    type: AssemblyType
    make: str
    model: str
    serial: str
    size_inches: float
    location: str
    hazard: Hazard
    install_date: dt.date | None
    last_test_date: dt.date | None = Field(description="Of its last passed test")
    next_due_date: dt.date | None = Field(description="Its district's interval after the last passed test")
    status: DueStatus = Field(description="On the day it is read: untested (no due date), compliant, due_soon (within "
                                          "60 days of next_due_date) or overdue (past it)")
    last_reminder: Reminder | None = Field(description="The last reminder of next_due_date sent to the customer")
    report_count: int = Field(description="Its test reports (a tested assembly is not deleted)")


class AssemblyOut(AssemblyChanged, Stamped):
    pass


class AssemblyList(BaseModel):
    data: list[AssemblyOut]
    next_cursor: str | None
