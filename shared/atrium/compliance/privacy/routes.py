"""Privacy routes: the tenant's handling of personal data in free text, and the report of what was found."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.compliance.privacy.schemas import PiiReport, PrivacySettingsBody
from atrium.kernel import clock
from atrium.kernel.grants import READ, WRITE
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.routing import ETAG_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.compliance.privacy import report, settings
else:
    report, settings = lazy_modules("atrium.compliance.privacy", "report", "settings")

router = ContextRouter("privacy")
SETTINGS_PATH = "/v1/privacy/settings"
READ_PERMISSION, MANAGE_PERMISSION = "privacy:read", "privacy:manage"


def _answer(wanted: "settings.PrivacySettings", version: int, response: Response) -> PrivacySettingsBody:
    response.headers["ETag"] = etag(version)
    return PrivacySettingsBody(pii_mode=wanted.pii_mode, phone_region=wanted.phone_region)


@router.get(SETTINGS_PATH, name="get_settings", permission=READ_PERMISSION, grants=READ,
            responses={200: {"headers": ETAG_HEADER}})
def get_settings(principal: CurrentPrincipal, response: Response) -> PrivacySettingsBody:
    """How personal data found in free text (comments, notes) is handled as it is written. The ETag is "0" until
    the tenant sets it."""
    return _answer(*settings.read(principal.tenant_id), response)


@router.put(SETTINGS_PATH, name="update_settings", permission=MANAGE_PERMISSION, grants=WRITE,
            responses={200: {"headers": ETAG_HEADER}, 412: {"description": "If-Match does not match"},
                       428: {"description": "If-Match missing"}})
def update_settings(body: PrivacySettingsBody, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> PrivacySettingsBody:
    """Set how personal data found in free text is handled from now on: `flag` keeps the text (encrypted) and
    counts what it holds, `redact` stores it with placeholders. Text already stored is not changed. Requires
    If-Match."""
    wanted = settings.PrivacySettings(body.pii_mode, body.phone_region)
    return _answer(*settings.change(principal, wanted, version, info), response)


@router.get("/v1/privacy/pii-report", name="get_pii_report", permission=READ_PERMISSION, grants=READ)
def get_pii_report(
    principal: CurrentPrincipal,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                       description="YYYY-MM (UTC); the current month if left out")] = None,
) -> PiiReport:
    """How much personal data the tenant's free text held as it was written in a month, by kind and by field:
    counts only, never the values."""
    return report.pii_report(principal.tenant_id, month or clock.now().strftime("%Y-%m"))
