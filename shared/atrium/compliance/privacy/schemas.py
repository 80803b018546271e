"""Privacy API shapes."""

from datetime import datetime
from typing import Annotated, Literal

from email_validator import validate_email
from phonenumbers import SUPPORTED_REGIONS
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from atrium.compliance.pii.detector import DEFAULT_REGION
from atrium.compliance.pii.screening import PiiMode

# A user id, or something shaped as an email address (checked further as one).
SUBJECT_PATTERN = r"^(usr_[0-9A-HJKMNP-TV-Z]{26}|[^@\s]+@[^@\s]+\.[^@\s]+)$"


def _phone_region(region: str) -> str:
    if region not in SUPPORTED_REGIONS:
        raise ValueError(f"{region!r} is not a region with a phone numbering plan")
    return region


PhoneRegion = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2, upper case: the region "
                                   "phone numbers written without a country code are read in"),
                        AfterValidator(_phone_region)]


class PrivacySettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pii_mode": "redact",
                                                                               "phone_region": "GB"}]})

    pii_mode: PiiMode = Field(description="`flag`: free text is kept as written (stored encrypted) and what it holds "
                                          "is counted; `redact`: each finding is replaced by a placeholder such as "
                                          "`[email]` before it is stored")
    phone_region: PhoneRegion = DEFAULT_REGION


class PiiCounts(BaseModel):
    flagged: int = 0
    redacted: int = 0


class PiiReport(BaseModel):
    month: str = Field(description="YYYY-MM (UTC)")
    total: PiiCounts
    by_kind: dict[str, PiiCounts] = Field(description="By kind: email, phone, card, national_id")
    by_field: dict[str, PiiCounts] = Field(description="By field, as `<Type>.<attribute>` (`ProofComment.body`)")


class SubjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"subject": "dana@harbour.example"}]})

    subject: str = Field(max_length=254, pattern=SUBJECT_PATTERN,
                         description="The person: a user id (`usr_...`) or an email address (matched in any case)")

    @field_validator("subject")
    @classmethod
    def _user_or_email(cls, value: str) -> str:
        if value.startswith("usr_"):
            return value
        return validate_email(value, check_deliverability=False).normalized.lower()


class SubjectOut(BaseModel):
    user_id: str | None
    email: str | None = Field(description="Null once the erasure is carried out")


class ErasureOut(BaseModel):
    id: str
    status: Literal["pending", "canceled", "completed", "failed"]
    subject: SubjectOut
    due_at: datetime = Field(description="When it is carried out; until then it can be canceled")
    requested_by: str
    created_at: datetime
    canceled_at: datetime | None
    completed_at: datetime | None
    erased: dict[str, int] | None = Field(description="What each context erased (records), once completed")
    error: str | None = Field(description="Why a rule refused it (the tenant's last owner): what it erased before "
                                          "stays erased; request it again once the rule allows it")


class ErasureList(BaseModel):
    data: list[ErasureOut]
    next_cursor: str | None
