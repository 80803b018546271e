"""Privacy API shapes."""

from typing import Annotated

from phonenumbers import SUPPORTED_REGIONS
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from atrium.compliance.pii.detector import DEFAULT_REGION
from atrium.compliance.pii.screening import PiiMode


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
