"""API shapes of testers' certifications."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from atrium.apps.fieldwork.schemas import Name, Stamped

Number = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
UserId = Annotated[str, StringConstraints(max_length=40)]

_EXAMPLE: dict[str, JsonValue] = {"user_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "number": "BAT-20931",
                                  "certifying_body": "Oregon Health Authority", "expires_on": "2027-06-30"}


class CertificationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    user_id: UserId = Field(description="An active member holding the tester role")
    number: Number
    certifying_body: Name
    expires_on: dt.date = Field(description="The last day it is valid")


class CertificationUpdate(BaseModel):
    """Fields left out (or null) keep their value; a certification stays with its tester."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"expires_on": "2029-06-30"}]})

    number: Number | None = None
    certifying_body: Name | None = None
    expires_on: dt.date | None = None


class CertificationChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE | {"id": "crt_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}]})

    id: str
    user_id: str
    number: str
    certifying_body: str
    expires_on: dt.date


class CertificationOut(CertificationChanged, Stamped):
    pass


class CertificationList(BaseModel):
    data: list[CertificationOut]
    next_cursor: str | None
