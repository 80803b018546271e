"""Privacy routes: the tenant's handling of personal data in free text, the report of what was found, and a
person's data exported and erased."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response
from fastapi.responses import RedirectResponse

from atrium.compliance.privacy.events import ERASE_PERMISSION
from atrium.compliance.privacy.schemas import ErasureList, ErasureOut, PiiReport, PrivacySettingsBody, SubjectIn
from atrium.jobs.api import JobOut
from atrium.kernel import clock
from atrium.kernel.errors import Forbidden
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, SELF, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.compliance.privacy import erasures, exports, report, settings, subjects
else:
    erasures, exports, report, settings, subjects = lazy_modules("atrium.compliance.privacy", "erasures", "exports",
                                                                 "report", "settings", "subjects")

router = ContextRouter("privacy")
SETTINGS_PATH = "/v1/privacy/settings"
READ_PERMISSION, MANAGE_PERMISSION, EXPORT_PERMISSION = "privacy:read", "privacy:manage", "privacy:export"
ERASURES_PATH = "/v1/privacy/erasures"
_JOB_STARTED: dict[int | str, dict[str, object]] = {
    202: {"headers": {"Location": {"description": "The job", "schema": {"type": "string"}}}}}


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


@router.post("/v1/privacy/exports", name="create_export", permission=EXPORT_PERMISSION, status_code=202,
             idempotent=True, grants=WRITE, responses=_JOB_STARTED)
def create_export(body: SubjectIn, principal: CurrentPrincipal, info: CurrentRequest, response: Response) -> JobOut:
    """Start a job that writes what every context holds about a person (a user id or an email) to a zip: one JSON
    document per context, and their files. Follow the job (`Location`); its result gives the archive's SHA-256 and a
    download URL. The archive is kept 7 days."""
    job, location = exports.start_export(principal, subjects.subject_of(body.subject), info)
    response.headers["Location"] = location
    return job


@router.post("/v1/me/export", name="create_my_export", permission=SELF, status_code=202, idempotent=True,
             grants=WRITE, responses=_JOB_STARTED)
def create_my_export(principal: CurrentPrincipal, info: CurrentRequest, response: Response) -> JobOut:
    """Start the export of the caller's own personal data in this tenant (as `POST /v1/privacy/exports`)."""
    if principal.type != "user":
        raise Forbidden("only a user has personal data to export")
    job, location = exports.start_export(principal, subjects.subject_of(principal.id), info)
    response.headers["Location"] = location
    return job


@router.get("/v1/privacy/exports/{job_id}/download", name="download_export", permission=SELF, status_code=303,
            grants={Grant.TABLE_READ, Grant.FILES_READ},
            responses={303: {"description": "A fresh presigned URL of the archive, in Location"},
                       404: {"description": "No such export the caller started or may read, in the caller's tenant"},
                       409: {"description": "The export has not succeeded (yet)"}})
def download_export(job_id: str, principal: CurrentPrincipal) -> RedirectResponse:
    """Redirect to the archive (a presigned URL that works for an hour): for whoever started the export, or holds
    `privacy:export`."""
    return RedirectResponse(exports.download_url(principal, job_id), status_code=303)


@router.post(ERASURES_PATH, name="create_erasure", permission=ERASE_PERMISSION, status_code=201, idempotent=True,
             grants={*WRITE, Grant.TASKS_SEND},
             responses={201: {"headers": {"Location": {"description": "The erasure", "schema": {"type": "string"}},
                                          **ETAG_HEADER}}})
def create_erasure(body: SubjectIn, principal: CurrentPrincipal, info: CurrentRequest,
                   response: Response) -> ErasureOut:
    """Erase a person (a user id or an email) in every context once the grace period ends (7 days by default);
    until then the erasure can be canceled. The audit log keeps its entries, chained and verifiable, with what they
    say about the person made unreadable."""
    erasure, version = erasures.request_erasure(principal, subjects.subject_of(body.subject), info)
    response.headers["Location"] = f"{ERASURES_PATH}/{erasure.id}"
    response.headers["ETag"] = etag(version)
    return erasure


@router.get(ERASURES_PATH, name="list_erasures", permission=ERASE_PERMISSION,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_erasures(principal: CurrentPrincipal, paging: Paging) -> ErasureList:
    """The tenant's erasures, newest first: pending, canceled, completed (whom they erased no longer shown) or
    failed."""
    return erasures.list_erasures(principal.tenant_id, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{ERASURES_PATH}/{{erasure_id}}", name="get_erasure", permission=ERASE_PERMISSION, grants=READ,
            responses={200: {"headers": ETAG_HEADER}, 404: {"description": "Not found in the caller's tenant"}})
def get_erasure(erasure_id: str, principal: CurrentPrincipal, response: Response) -> ErasureOut:
    """An erasure: pending until due, then completed (what each context erased) or failed; or canceled."""
    erasure, version = erasures.get_erasure(principal, erasure_id)
    response.headers["ETag"] = etag(version)
    return erasure


@router.post(f"{ERASURES_PATH}/{{erasure_id}}/cancel", name="cancel_erasure", permission=ERASE_PERMISSION,
             grants=WRITE, responses={200: {"headers": ETAG_HEADER},
                                      404: {"description": "Not found in the caller's tenant"},
                                      409: {"description": "Already carried out or canceled"}})
def cancel_erasure(erasure_id: str, principal: CurrentPrincipal, info: CurrentRequest,
                   response: Response) -> ErasureOut:
    """Cancel a pending erasure within its grace period: nothing is erased."""
    erasure, version = erasures.cancel_erasure(principal, erasure_id, info)
    response.headers["ETag"] = etag(version)
    return erasure
