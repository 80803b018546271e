"""Backup routes: take, list, read and delete a tenant's backups, restore one, and set the backup schedule."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.compliance.backups.events import READ_PERMISSION
from atrium.compliance.backups.schemas import (
    BackupCreate,
    BackupList,
    BackupOut,
    RestoreCreate,
    ScheduleBody,
    ScheduleOut,
)
from atrium.jobs.api import JobOut
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import actor_of

if TYPE_CHECKING:
    from atrium.compliance.backups import removal, restore, schedule, snapshot
else:
    removal, restore, schedule, snapshot = lazy_modules("atrium.compliance.backups", "removal", "restore", "schedule",
                                                        "snapshot")

router = ContextRouter("backups")
BACKUPS_PATH, SCHEDULE_PATH = "/v1/backups", "/v1/backups/schedule"
MANAGE_PERMISSION = "backups:manage"
_LOCATION = {"Location": {"description": "Where to follow it", "schema": {"type": "string"}}}
_NOT_FOUND = {404: {"description": "No such backup in the caller's tenant"}}


# Declared before /v1/backups/{backup_id}, which would take "schedule" for an id.
@router.get(SCHEDULE_PATH, name="get_schedule", permission=READ_PERMISSION, grants=READ,
            responses={200: {"headers": ETAG_HEADER}})
def get_schedule(principal: CurrentPrincipal, response: Response) -> ScheduleOut:
    """How often the tenant is backed up and how many backups are kept: nulls, and the ETag "0", until a schedule
    is set."""
    found, version = schedule.read(principal.tenant_id)
    response.headers["ETag"] = etag(version)
    return found


@router.put(SCHEDULE_PATH, name="update_schedule", permission=MANAGE_PERMISSION, grants=WRITE,
            responses={200: {"headers": ETAG_HEADER}, 412: {"description": "If-Match does not match"},
                       428: {"description": "If-Match missing"}})
def update_schedule(body: ScheduleBody, principal: CurrentPrincipal, version: ExpectedVersion, info: CurrentRequest,
                    response: Response) -> ScheduleBody:
    """Back the tenant up daily or weekly (at the daily run, 03:00 UTC or so), keeping the newest `keep` backups
    (older ones, manual ones too, are deleted). Requires If-Match ("0" until a schedule is set)."""
    response.headers["ETag"] = etag(schedule.change(principal, body, version, info))
    return body


@router.post(BACKUPS_PATH, name="create_backup", permission=MANAGE_PERMISSION, status_code=202, idempotent=True,
             grants=WRITE, responses={202: {"headers": _LOCATION}})
def create_backup(body: BackupCreate, principal: CurrentPrincipal, info: CurrentRequest,
                  response: Response) -> BackupOut:
    """Start a backup of the tenant's items and files (a job: `job_id`). It is `succeeded` once written; its
    manifest gives counts and content hashes per type."""
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    backup = snapshot.start_backup(uow, "manual")
    uow.commit()
    response.headers["Location"] = f"{BACKUPS_PATH}/{backup.id}"
    return snapshot.backup_out(backup)


@router.get(BACKUPS_PATH, name="list_backups", permission=READ_PERMISSION, grants={Grant.TABLE_READ,
                                                                                    Grant.CURSOR_KEY_READ})
def list_backups(principal: CurrentPrincipal, paging: Paging) -> BackupList:
    """The tenant's backups, newest first."""
    return snapshot.list_backups(principal.tenant_id, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{BACKUPS_PATH}/{{backup_id}}", name="get_backup", permission=READ_PERMISSION, grants=READ,
            responses=_NOT_FOUND)
def get_backup(backup_id: str, principal: CurrentPrincipal) -> BackupOut:
    """One backup."""
    return snapshot.backup_out(snapshot.load(principal.tenant_id, backup_id))


@router.delete(f"{BACKUPS_PATH}/{{backup_id}}", name="delete_backup", permission=MANAGE_PERMISSION, status_code=204,
               grants={*WRITE, Grant.FILES_LIST, Grant.FILES_DELETE},
               responses={**_NOT_FOUND, 409: {"description": "Being written"}})
def delete_backup(backup_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete a finished or failed backup and its files, for good."""
    removal.delete_backup(principal, backup_id, info)


@router.post(f"{BACKUPS_PATH}/{{backup_id}}/restore", name="restore_backup", permission=MANAGE_PERMISSION,
             status_code=202, idempotent=True, grants=WRITE,
             responses={202: {"headers": _LOCATION}, **_NOT_FOUND,
                        409: {"description": "The backup has not succeeded (yet)"}})
def restore_backup(backup_id: str, body: RestoreCreate, principal: CurrentPrincipal, info: CurrentRequest,
                   response: Response) -> JobOut:
    """Restore the backup, as a job. `new_tenant`: a new tenant, owned by the caller, gets the backup's items (ids
    kept) and files. `same_tenant_point_in_time`: this tenant's items are rolled back to the backup (those made
    since are deleted); `confirm` must be the backup's id. Members, API tokens, billing and the audit log are
    left as they are (docs/compliance.md). The job's result compares counts and content hashes per type."""
    job, location = restore.start_restore(principal, backup_id, body, info)
    response.headers["Location"] = location
    return job
