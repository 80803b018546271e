"""API shapes of test gauges."""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from atrium.apps.fieldwork.schemas import Name, Serial, Stamped

_EXAMPLE: dict[str, JsonValue] = {"serial": "G-7781", "make": "Mid-West Instrument", "model": "845-5",
                                  "calibration_expires_on": "2027-01-15"}


class GaugeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    serial: Serial = Field(description="Unique in the tenant, whatever the case")
    make: Name
    model: Name
    calibration_expires_on: dt.date = Field(description="The last day it is in calibration")


class GaugeUpdate(BaseModel):
    """Fields left out (or null) keep their value: a new calibration moves ``calibration_expires_on``."""

    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"calibration_expires_on": "2028-01-15"}]})

    serial: Serial | None = None
    make: Name | None = None
    model: Name | None = None
    calibration_expires_on: dt.date | None = None


class GaugeChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE | {"id": "gau_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}]})

    id: str
    serial: str
    make: str
    model: str
    calibration_expires_on: dt.date


class GaugeOut(GaugeChanged, Stamped):
    pass


class GaugeList(BaseModel):
    data: list[GaugeOut]
    next_cursor: str | None
