"""Tenant deletion routes: the owner asks for it, reads it, cancels it; they answer while the tenant is suspended
for its deletion (identity lets its owners in for ``tenant:delete`` and ``backups:read`` alone)."""

from typing import TYPE_CHECKING

from fastapi import Response
from fastapi.responses import RedirectResponse

from atrium.compliance.offboarding.schemas import DeletionCreate, DeletionOut
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.kernel.permissions import TENANT_DELETE

if TYPE_CHECKING:
    from atrium.compliance.offboarding import service
else:
    (service,) = lazy_modules("atrium.compliance.offboarding", "service")

router = ContextRouter("offboarding")
DELETION_PATH = "/v1/tenant/deletion"
# tenant:delete is the owner role's alone (kernel.permissions.OWNERS_ONLY): admins and custom roles lack it.
_OWNERS = {403: {"description": "The caller is not an owner of the tenant"}}
_NONE = {404: {"description": "The tenant's deletion was never requested"}}


@router.post(DELETION_PATH, name="request_deletion", permission=TENANT_DELETE, status_code=202, idempotent=True,
             step_up=True, grants=WRITE,
             responses={202: {"headers": {"Location": {"description": "The deletion", "schema": {"type": "string"}}}},
                        **_OWNERS, 409: {"description": "The deletion is requested already"}})
def request_deletion(body: DeletionCreate, principal: CurrentPrincipal, info: CurrentRequest,
                     response: Response) -> DeletionOut:
    """Delete the tenant (owners only, after a step-up). It is suspended now: members and API tokens are refused,
    but its owners may still read and cancel the deletion and read its backups. A final backup is written
    (`final_backup_id`), with a readable copy to keep (`GET /v1/tenant/deletion/export`); `due_at` (30 days on) the
    tenant's items, files and data keys are deleted for good."""
    response.headers["Location"] = DELETION_PATH
    return service.request_deletion(principal, info)


@router.get(DELETION_PATH, name="get_deletion", permission=TENANT_DELETE, grants=READ, responses=_NONE)
def get_deletion(principal: CurrentPrincipal) -> DeletionOut:
    """The tenant's deletion: when it is due, its final backup, and whether it was cancelled."""
    return service.read_deletion(principal.tenant_id)


@router.get(f"{DELETION_PATH}/export", name="download_final_export", permission=TENANT_DELETE, status_code=303,
            grants={Grant.TABLE_READ, Grant.FILES_READ},
            responses={303: {"description": "A fresh presigned URL of the export, in Location"}, **_NONE,
                       409: {"description": "The final backup has not succeeded (yet)"}})
def download_final_export(principal: CurrentPrincipal) -> RedirectResponse:
    """Redirect to the tenant's final export (a presigned URL that works for an hour), for its owners to keep: a zip
    of every item as plain JSON (personal data decrypted; secrets and credentials left out), one JSON Lines file per
    type, and the tenant's files, with a manifest. Written with the final backup; deleted with the tenant."""
    return RedirectResponse(service.export_url(principal.tenant_id), status_code=303)


@router.delete(DELETION_PATH, name="cancel_deletion", permission=TENANT_DELETE, step_up=True, grants=WRITE,
               responses={**_OWNERS, **_NONE, 409: {"description": "The deletion is not scheduled (cancelled, or "
                                                                   "started)"}})
def cancel_deletion(principal: CurrentPrincipal, info: CurrentRequest) -> DeletionOut:
    """Cancel the deletion within its grace period (owners only, after a step-up): the tenant is active again, as
    it was (nothing was deleted)."""
    return service.cancel_deletion(principal, info)
