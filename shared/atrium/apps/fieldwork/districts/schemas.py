"""API shapes of water districts."""

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, JsonValue

from atrium.apps.fieldwork.schemas import Name, Stamped


class ReportField(StrEnum):
    """What a district's report form may show."""

    CUSTOMER = "customer"
    SITE_ADDRESS = "site_address"
    ASSEMBLY_TYPE = "assembly_type"
    MAKE = "make"
    MODEL = "model"
    SERIAL = "serial"
    SIZE = "size"
    LOCATION = "location"
    HAZARD = "hazard"
    READINGS = "readings"
    RESULT = "result"
    TEST_DATE = "test_date"
    TESTER = "tester"
    CERTIFICATION = "certification"
    GAUGE = "gauge"


def _once_each(fields: list[ReportField]) -> list[ReportField]:
    if len(set(fields)) != len(fields):
        raise ValueError("name each field once")
    return fields


FormFields = Annotated[list[ReportField], Field(min_length=1, max_length=len(ReportField)),
                       AfterValidator(_once_each)]
DeadlineDays = Annotated[int, Field(strict=True, ge=1, le=365, description="Days after a test to submit its report")]
IntervalMonths = Annotated[int, Field(strict=True, ge=1, le=120,
                                      description="Months from a passed test to the next one due")]

_DISTRICT_EXAMPLE: dict[str, JsonValue] = {
    "name": "Springfield Utility Board", "submission_email": "backflow@sub.example",
    "form_fields": ["customer", "site_address", "assembly_type", "serial", "readings", "result",
        "test_date", "tester", "certification", "gauge"],
    "submission_deadline_days": 10, "test_interval_months": 12}


class DistrictCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_DISTRICT_EXAMPLE]})

    name: Name
    submission_email: EmailStr
    form_fields: FormFields = Field(default_factory=lambda: list(ReportField))
    submission_deadline_days: DeadlineDays
    test_interval_months: IntervalMonths = 12


class DistrictUpdate(BaseModel):
    """Fields left out (or null) keep their value. A new test interval applies from the next passed test."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"submission_deadline_days": 14}]})

    name: Name | None = None
    submission_email: EmailStr | None = None
    form_fields: FormFields | None = None
    submission_deadline_days: DeadlineDays | None = None
    test_interval_months: IntervalMonths | None = None


class DistrictChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_DISTRICT_EXAMPLE | {
        "id": "dst_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "assembly_count": 40}]})

    id: str
    name: str
    submission_email: str
    form_fields: list[ReportField]
    submission_deadline_days: int
    test_interval_months: int
    assembly_count: int


class DistrictOut(DistrictChanged, Stamped):
    pass


class DistrictList(BaseModel):
    data: list[DistrictOut]
    next_cursor: str | None
