"""API shapes the fieldwork features share."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Notes = Annotated[str, StringConstraints(max_length=4000)]
Serial = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                          pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^[0-9+() .-]*$")]


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: Name
    line2: Line = ""
    city: Name
    region: Line = ""
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: EmailStr
    phone: Phone = ""


class Stamped(BaseModel):
    created_at: str
    updated_at: str
