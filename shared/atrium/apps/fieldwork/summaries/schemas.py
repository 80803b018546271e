"""API shape of a monthly summary."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from atrium.apps.fieldwork.assemblies.schemas import AssemblyType

Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]


class TypeTally(BaseModel):
    assembly_type: AssemblyType
    tests: int = Field(description="Test reports of this type signed in the month")
    passed: int = Field(description="Of them, passed (after any repairs and retest)")
    passed_first_time: int = Field(description="Of them, passed at the first test, without repairs")
    pass_rate: float | None = Field(description="passed / tests, 0 to 1 (4 decimals); null without tests")


class SentSummary(BaseModel):
    sent_at: str
    sent_to: list[str] = Field(description="The owners and admins emailed")
    pdf_sha256: str
    pdf_url: str = Field(description="A download link of the PDF, valid for an hour")


SUMMARY_EXAMPLE: dict[str, JsonValue] = {
    "month": "2026-11", "tests": 40, "passed": 37, "pass_rate": 0.925,
    "by_type": [{"assembly_type": "RP", "tests": 25, "passed": 23, "passed_first_time": 20, "pass_rate": 0.92},
                {"assembly_type": "DC", "tests": 15, "passed": 14, "passed_first_time": 14, "pass_rate": 0.9333}],
    "invoiced_cents": 412500, "collected_cents": 368000, "overdue_assemblies": 6,
    "overdue_counted_at": "2026-12-01T06:00:00.000Z", "sent": None}


class MonthlySummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    month: Month
    tests: int
    passed: int
    pass_rate: float | None
    by_type: list[TypeTally] = Field(description="Each assembly type tested in the month")
    invoiced_cents: int = Field(description="Invoices sent in the month, less those voided in it after being sent")
    collected_cents: int = Field(description="Payments recorded in the month (the revenue received)")
    overdue_assemblies: int = Field(description="Assemblies past their due date: when the month ended, for a month "
                                                "whose summary was sent; now, otherwise")
    overdue_counted_at: str
    sent: SentSummary | None = Field(default=None, description="The summary emailed to the owners once the month "
                                                               "ended (not in the event, which says it was sent)")
