"""Audit routes: the log, its verification and its retention."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response
from fastapi.responses import RedirectResponse
from pydantic import AwareDatetime

from atrium.audit.presenters import audit_event_out, verification_out
from atrium.audit.schemas import (
    AuditEventList,
    AuditEventOut,
    AuditExportCreate,
    AuditSettingsOut,
    AuditSettingsUpdate,
    VerificationOut,
)
from atrium.billing.api import Feature, FeatureGate
from atrium.jobs.api import JobOut
from atrium.kernel.grants import READ, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.audit import exports, listing, retention, subject_keys, verification
else:
    exports, listing, retention, subject_keys, verification = lazy_modules(
        "atrium.audit", "exports", "listing", "retention", "subject_keys", "verification")

router = ContextRouter("audit")
EVENTS_PATH = "/v1/audit-events"
SETTINGS_PATH = "/v1/audit/settings"
_TYPED_ID = r"^[a-z_]{1,40}:[A-Za-z0-9_.@:-]{1,200}$"


@router.get(EVENTS_PATH, name="list_events", permission="audit:read", grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_events(
    principal: CurrentPrincipal, paging: Paging,
    actor: Annotated[str | None, Query(max_length=64, description="Only entries by this actor id")] = None,
    action: Annotated[str | None, Query(max_length=100, description="Only actions starting with this, "
                                                                     "e.g. `tenant.` or `api_token.created`")] = None,
    target: Annotated[str | None, Query(pattern=_TYPED_ID, description="Only entries about `type:id`, "
                                                                         "e.g. `user:usr_...`")] = None,
    since: Annotated[AwareDatetime | None, Query(description="Only entries at or after this time")] = None,
    until: Annotated[AwareDatetime | None, Query(description="Only entries at or before this time")] = None,
) -> AuditEventList:
    """The tenant's audit log, newest first. A page may hold fewer than `limit` entries while
    `next_cursor` still leads on; follow it until it is null."""
    wanted = listing.AuditFilter(actor_id=actor, action_prefix=action, target=target, since=since, until=until)
    page = listing.list_entries(principal.tenant_id, wanted, limit=paging.limit, cursor=paging.cursor)
    opener = subject_keys.Opener(principal.tenant_id, page.items)
    return AuditEventList(data=[audit_event_out(item, opener) for item in page.items], next_cursor=page.next_cursor)


@router.get(f"{EVENTS_PATH}/{{event_id}}", name="get_event", permission="audit:read", grants=READ,
            responses={404: {"description": "Not found in the caller's tenant"}})
def get_event(event_id: str, principal: CurrentPrincipal) -> AuditEventOut:
    """One audit entry."""
    entry = listing.get_entry(principal.tenant_id, event_id)
    return audit_event_out(entry, subject_keys.Opener(principal.tenant_id, [entry]))


@router.get("/v1/audit/verify", name="verify", permission="audit:verify",
            grants={Grant.TABLE_READ, Grant.AUDIT_KEY_READ, Grant.AUDIT_CHECKPOINTS_READ})
def verify(principal: CurrentPrincipal) -> VerificationOut:
    """Walk the tenant's chain: recompute every link and hold it against the head and the signed
    checkpoints. `intact` is false when an entry was edited, deleted or moved, or the chain was cut."""
    return verification_out(verification.verify(principal.tenant_id))


@router.get(SETTINGS_PATH, name="get_settings", permission="audit:read", grants=READ,
            responses={200: {"headers": ETAG_HEADER}})
def get_settings(principal: CurrentPrincipal, response: Response) -> AuditSettingsOut:
    """How long the tenant's audit entries are kept."""
    days, version = retention.read(principal.tenant_id)
    response.headers["ETag"] = etag(version)
    return AuditSettingsOut(retention_days=days)


@router.patch(SETTINGS_PATH, name="update_settings", permission="audit:configure",
              grants={Grant.TABLE_READ, Grant.TABLE_WRITE},
              responses={200: {"headers": ETAG_HEADER}, 412: {"description": "If-Match does not match"},
                         428: {"description": "If-Match missing"}})
def update_settings(body: AuditSettingsUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> AuditSettingsOut:
    """Change the retention. Entries already written are kept for the new retention from when they
    happened (no entry expires before it). Requires If-Match."""
    days, new_version = retention.change(principal, body.retention_days, version, info)
    response.headers["ETag"] = etag(new_version)
    return AuditSettingsOut(retention_days=days)




@router.post("/v1/audit/exports", name="create_export", permission="audit:export", status_code=202, idempotent=True,
             feature=FeatureGate(Feature.AUDIT_EXPORT), grants={Grant.TABLE_READ, Grant.TABLE_WRITE},
             responses={202: {"headers": {"Location": {"description": "The job", "schema": {"type": "string"}}}}})
def create_export(body: AuditExportCreate, principal: CurrentPrincipal, info: CurrentRequest,
                  response: Response) -> JobOut:
    """Start a job that writes the entries from `from` to `to` (oldest first) as JSON Lines or CSV. Follow
    the job (`Location`); its result gives the file's SHA-256, entry count and a download URL."""
    job, location = exports.start_export(principal, body, info)
    response.headers["Location"] = location
    return job


@router.get("/v1/audit/exports/{job_id}/download", name="download_export", permission="audit:export",
            status_code=303, grants={Grant.TABLE_READ, Grant.FILES_READ},
            responses={303: {"description": "A fresh presigned URL of the file, in Location"},
                       404: {"description": "No such export job in the caller's tenant"},
                       409: {"description": "The export has not succeeded (yet)"}})
def download_export(job_id: str, principal: CurrentPrincipal) -> RedirectResponse:
    """Redirect to the export's file (a presigned URL that works for an hour)."""
    return RedirectResponse(exports.download_url(principal, job_id), status_code=303)
