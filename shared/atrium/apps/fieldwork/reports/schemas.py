"""API shapes of test reports and their readings."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, StrictBool

from atrium.apps.fieldwork.assemblies.schemas import AssemblyType
from atrium.apps.fieldwork.schemas import Line, Name, Notes, Stamped


def _tenths(value: float) -> float:
    if Decimal(str(value)).as_tuple().exponent < -1:  # type: ignore[operator]
        raise ValueError("read to a tenth of a psid at most")
    return value


Psid = Annotated[float, Field(ge=0, le=99.9, description="Differential pressure in psid, to a tenth"),
                 AfterValidator(_tenths)]


class ReducedPressureReadings(BaseModel):
    """An RP or RPDA test."""

    model_config = ConfigDict(extra="forbid")

    check_valve_1_psid: Psid
    check_valve_2_closed_tight: StrictBool
    relief_valve_opening_psid: Psid


class DoubleCheckReadings(BaseModel):
    """A DC or DCDA test."""

    model_config = ConfigDict(extra="forbid")

    check_valve_1_psid: Psid
    check_valve_1_closed_tight: StrictBool
    check_valve_2_psid: Psid
    check_valve_2_closed_tight: StrictBool


class VacuumBreakerReadings(BaseModel):
    """A PVB or SVB test."""

    model_config = ConfigDict(extra="forbid")

    air_inlet_opening_psid: Psid
    check_valve_psid: Psid


Readings = ReducedPressureReadings | DoubleCheckReadings | VacuumBreakerReadings


class Repair(BaseModel):
    """A part repaired or replaced after a failed test (a cleaned seat is a repair too)."""

    model_config = ConfigDict(extra="forbid")

    part: Name = Field(description="What was repaired or replaced, e.g. 'check valve 1 rubber'")
    quantity: Annotated[int, Field(ge=1, le=1000, strict=True)] = 1
    notes: Line = ""


Repairs = Annotated[list[Repair], Field(max_length=50, description="What was repaired or replaced after a failed "
                                                                   "first test")]
Retest = Annotated[Readings | None, Field(description="The readings of the test after the repairs, on the same visit: "
                                                     "only a failed first test is retested, and only after a repair")]


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


_READINGS_EXAMPLE: dict[str, JsonValue] = {"check_valve_1_psid": 6.2, "check_valve_2_closed_tight": True,
                                           "relief_valve_opening_psid": 2.8}


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "gauge_id": "gau_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "tested_on": "2026-12-04", "readings": _READINGS_EXAMPLE}]})

    gauge_id: Annotated[str, Field(max_length=40, description="The gauge the readings were taken with")]
    tested_on: dt.date
    readings: Readings = Field(description="The readings of the assembly's type (RP and RPDA, DC and DCDA, PVB and "
                                           "SVB share theirs)")
    notes: Notes = ""
    repairs: Repairs = []
    retest_readings: Retest = None
    amends: Annotated[str | None, Field(max_length=40, description="The signed report of the same assembly this one "
                                                                   "corrects")] = None


class ReportUpdate(BaseModel):
    """A draft's fields; left out (or null): kept. A signed report does not change (409): amend it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"readings": _READINGS_EXAMPLE}]})

    gauge_id: Annotated[str | None, Field(max_length=40)] = None
    tested_on: dt.date | None = None
    readings: Readings | None = None
    notes: Notes | None = None
    repairs: Repairs | None = None
    retest_readings: Retest = None


REPORT_EXAMPLE: dict[str, JsonValue] = {
    "id": "rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "assembly_id": "asm_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "site_id": "sit_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "customer_id": "cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "assembly_type": "RP", "district_id": "dst_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "tester_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "gauge_id": "gau_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "tested_on": "2026-12-04", "readings": _READINGS_EXAMPLE, "initial_result": "passed", "initial_failures": [],
    "repairs": [], "retest_readings": None, "result": "passed", "failures": [], "notes": "", "status": "signed",
    "amends": None, "certification_id": "crt_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "signed_at": "2026-12-04T15:00:00.000Z", "submission_id": None, "submitted_at": None}


class ReportChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [REPORT_EXAMPLE]})

    id: str
    assembly_id: str
    site_id: str = Field(description="The assembly's site")
    customer_id: str = Field(description="The site's customer")
    assembly_type: AssemblyType
    district_id: str
    tester_id: str = Field(description="Who made it, and alone may sign it")
    gauge_id: str
    tested_on: dt.date
    readings: dict[str, float | bool] = Field(description="The first test's")
    initial_result: Result | None = Field(description="The first test's, computed from its readings")
    initial_failures: list[str] = Field(description="What failed in the first test, in words")
    repairs: list[Repair]
    retest_readings: dict[str, float | bool] | None = Field(description="The test after the repairs")
    result: Result = Field(description="What counts, computed: the retest's when there is one, else the first "
                                       "test's")
    failures: list[str] = Field(description="What failed in the test that counts, in words")
    notes: str
    status: ReportStatus
    amends: str | None = Field(description="The signed report this one corrects")
    certification_id: str | None = Field(description="The tester's certification it was signed under")
    signed_at: str | None
    submission_id: str | None = Field(None, description="The district submission that last sent it (a rejected "
                                                        "one's reports wait in the district's queue again)")
    submitted_at: str | None = None


class ReportOut(ReportChanged, Stamped):
    pass


class ReportList(BaseModel):
    data: list[ReportOut]
    next_cursor: str | None
