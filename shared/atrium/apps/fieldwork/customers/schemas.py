"""API shapes of customers and their sites."""

from pydantic import BaseModel, ConfigDict, JsonValue

from atrium.apps.fieldwork.schemas import Address, Contact, Name, Notes, Stamped

_ADDRESS: dict[str, JsonValue] = {"line1": "12 Harbour Road", "city": "Springfield", "region": "OR",
                                  "postal_code": "97477"}
_CUSTOMER_EXAMPLE: dict[str, JsonValue] = {"name": "Harbour Bakery", "billing_contact": {
    "name": "Dana Reyes", "email": "dana@harbour.example", "phone": "+1 541 555 0100"},
    "service_address": _ADDRESS, "notes": "Gate code 4412"}
_SITE_EXAMPLE: dict[str, JsonValue] = {"name": "Harbour Bakery, main shop", "address": _ADDRESS,
                                      "access_notes": "Meter room behind the loading dock"}


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_CUSTOMER_EXAMPLE]})

    name: Name
    billing_contact: Contact
    service_address: Address
    notes: Notes = ""


class CustomerUpdate(BaseModel):
    """Fields left out (or null) keep their value."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"notes": "Gate code 5521"}]})

    name: Name | None = None
    billing_contact: Contact | None = None
    service_address: Address | None = None
    notes: Notes | None = None


class CustomerChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_CUSTOMER_EXAMPLE | {
        "id": "cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "site_count": 1}]})

    id: str
    name: str
    billing_contact: Contact
    service_address: Address
    notes: str
    site_count: int


class CustomerOut(CustomerChanged, Stamped):
    pass


class CustomerList(BaseModel):
    data: list[CustomerOut]
    next_cursor: str | None


class SiteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_SITE_EXAMPLE]})

    name: Name
    address: Address
    access_notes: Notes = ""


class SiteUpdate(BaseModel):
    """Fields left out (or null) keep their value. A site stays with its customer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"access_notes": "Ask at reception"}]})

    name: Name | None = None
    address: Address | None = None
    access_notes: Notes | None = None


class SiteChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SITE_EXAMPLE | {
        "id": "sit_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "customer_id": "cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
        "assembly_count": 2}]})

    id: str
    customer_id: str
    name: str
    address: Address
    access_notes: str
    assembly_count: int


class SiteOut(SiteChanged, Stamped):
    pass


class SiteList(BaseModel):
    data: list[SiteOut]
    next_cursor: str | None
