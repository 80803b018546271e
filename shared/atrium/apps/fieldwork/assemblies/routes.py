"""Assembly routes."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.apps.fieldwork.assemblies.schemas import AssemblyCreate, AssemblyList, AssemblyOut, AssemblyUpdate
from atrium.apps.fieldwork.routing import (
    ASSEMBLIES_PATH,
    ASSEMBLY_PATH,
    CREATED,
    CUSTOMER_PATH,
    DUE_ASSEMBLIES_PATH,
    NOT_FOUND,
    OVERDUE_ASSEMBLIES_PATH,
    READ_ONE,
    SITE_PATH,
    UPDATED,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.assemblies import listing
    from atrium.apps.fieldwork.assemblies import service as assemblies
else:
    assemblies, listing = lazy_modules("atrium.apps.fieldwork.assemblies", "service", "listing")

router = ContextRouter("fieldwork")
SERIAL_TAKEN = {409: {"description": "The site already has an assembly with this serial"}}


@router.post(f"{SITE_PATH}/assemblies", name="create_assembly", permission="assemblies:create", status_code=201,
             idempotent=True, grants=WRITE,
             responses={**CREATED, **NOT_FOUND, **SERIAL_TAKEN, 422: {"description": "No such district"}})
def create_assembly(site_id: str, body: AssemblyCreate, principal: CurrentPrincipal, info: CurrentRequest,
                    response: Response) -> AssemblyOut:
    """An assembly on the site, reporting to a water district. Given its last passed test, it is next due after the
    district's interval."""
    assembly, version = assemblies.create_assembly(principal, site_id, body, info)
    response.headers["Location"] = f"{ASSEMBLIES_PATH}/{assembly.id}"
    response.headers["ETag"] = etag(version)
    return assembly


@router.get(f"{SITE_PATH}/assemblies", name="list_assemblies", scoped=True, permission="assemblies:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_assemblies(site_id: str, principal: CurrentPrincipal, paging: Paging) -> AssemblyList:
    """The site's assemblies, oldest first."""
    return listing.list_assemblies(principal, site_id, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{CUSTOMER_PATH}/assemblies", name="list_customer_assemblies", scoped=True, permission="assemblies:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_customer_assemblies(customer_id: str, principal: CurrentPrincipal, paging: Paging) -> AssemblyList:
    """The customer's assemblies on all its sites: by site, oldest first."""
    return listing.list_customer_assemblies(principal, customer_id, limit=paging.limit, cursor=paging.cursor)


# Paths of their own: under /assemblies/ they would read as an assembly's id ("due"), so one URL would name two
# operations.
@router.get(DUE_ASSEMBLIES_PATH, name="list_due_assemblies", permission="assemblies:read",
            grants={*READ, Grant.CURSOR_KEY_READ})
def list_due_assemblies(principal: CurrentPrincipal, paging: Paging,
                        before: Annotated[dt.date | None, Query(description="Due on or before (YYYY-MM-DD); by "
                                                                            "default 60 days from today")] = None,
                        ) -> AssemblyList:
    """Every customer's assemblies due on or before a day (overdue ones too), the earliest due first: by default
    those overdue or due soon."""
    return listing.list_due_assemblies(principal, before, limit=paging.limit, cursor=paging.cursor)


@router.get(OVERDUE_ASSEMBLIES_PATH, name="list_overdue_assemblies", permission="assemblies:read",
            grants={*READ, Grant.CURSOR_KEY_READ})
def list_overdue_assemblies(principal: CurrentPrincipal, paging: Paging) -> AssemblyList:
    """Every customer's assemblies past their due date today, the longest overdue first."""
    return listing.list_overdue_assemblies(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(ASSEMBLY_PATH, name="get_assembly", permission="assemblies:read",
            scoped=True, grants=READ, responses=READ_ONE)
def get_assembly(assembly_id: str, principal: CurrentPrincipal, response: Response) -> AssemblyOut:
    """An assembly. The ETag header is the version to send in If-Match."""
    assembly, version = assemblies.get_assembly(principal, assembly_id)
    response.headers["ETag"] = etag(version)
    return assembly


@router.patch(ASSEMBLY_PATH, name="update_assembly", permission="assemblies:update", grants=WRITE,
              responses={**UPDATED, **SERIAL_TAKEN})
def update_assembly(assembly_id: str, body: AssemblyUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> AssemblyOut:
    """Change an assembly's make, model, serial, size, location, hazard or install date. Requires If-Match."""
    assembly, new_version = assemblies.update_assembly(principal, assembly_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return assembly


@router.delete(ASSEMBLY_PATH, name="delete_assembly", permission="assemblies:delete", status_code=204, grants=WRITE,
               responses=NOT_FOUND)
def delete_assembly(assembly_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """An assembly, with its serial freed on its site."""
    assemblies.delete_assembly(principal, assembly_id, info)
