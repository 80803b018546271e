"""A tenant's email branding: the sender's display name, a brand colour and an optional logo."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, HttpUrl, StringConstraints, UrlConstraints

from atrium.kernel.config import settings
from atrium.kernel.display_names import DisplayName

# One line of visible text that cannot pass for an address (kernel/display_names.py); quotes and commas are
# quoted by the email library.
SenderName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
                       DisplayName(sender=True)]
BrandColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
LogoUrl = Annotated[HttpUrl, UrlConstraints(max_length=512, allowed_schemes=["https"])]
DEFAULT_COLOR = "#1f2937"


class Branding(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"sender_name": "Acme Support", "brand_color": "#0a66c2", "logo_url": "https://cdn.example.com/acme.png"}]})

    sender_name: SenderName | None = None
    brand_color: BrandColor | None = None
    logo_url: LogoUrl | None = None

    @property
    def display_name(self) -> str:
        return self.sender_name or settings().app_name

    @property
    def color(self) -> str:
        return self.brand_color or DEFAULT_COLOR
