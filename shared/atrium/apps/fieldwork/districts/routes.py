"""Water district routes."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.apps.fieldwork.districts.schemas import DistrictCreate, DistrictList, DistrictOut, DistrictUpdate
from atrium.apps.fieldwork.routing import CREATED, DISTRICT_PATH, DISTRICTS_PATH, IN_USE, NOT_FOUND, READ_ONE, UPDATED
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.districts import service as districts
else:
    (districts,) = lazy_modules("atrium.apps.fieldwork.districts", "service")

router = ContextRouter("fieldwork")


@router.post(DISTRICTS_PATH, name="create_district", permission="districts:create", status_code=201,
             idempotent=True, grants=WRITE, responses=CREATED)
def create_district(body: DistrictCreate, principal: CurrentPrincipal, info: CurrentRequest,
                    response: Response) -> DistrictOut:
    """A water district: where its assemblies' test reports go, in which form, how soon, and how often they are
    tested (12 months unless it says otherwise)."""
    district, version = districts.create_district(principal, body, info)
    response.headers["Location"] = f"{DISTRICTS_PATH}/{district.id}"
    response.headers["ETag"] = etag(version)
    return district


@router.get(DISTRICTS_PATH, name="list_districts", permission="districts:read", grants={*READ, Grant.CURSOR_KEY_READ})
def list_districts(principal: CurrentPrincipal, paging: Paging) -> DistrictList:
    """The tenant's water districts, oldest first."""
    return districts.list_districts(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(DISTRICT_PATH, name="get_district", permission="districts:read", grants=READ, responses=READ_ONE)
def get_district(district_id: str, principal: CurrentPrincipal, response: Response) -> DistrictOut:
    """A water district. The ETag header is the version to send in If-Match."""
    district, version = districts.get_district(principal, district_id)
    response.headers["ETag"] = etag(version)
    return district


@router.patch(DISTRICT_PATH, name="update_district", permission="districts:update", grants=WRITE, responses=UPDATED)
def update_district(district_id: str, body: DistrictUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> DistrictOut:
    """Change a district's name, submission email, form, deadline or test interval. Requires If-Match."""
    district, new_version = districts.update_district(principal, district_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return district


@router.delete(DISTRICT_PATH, name="delete_district", permission="districts:delete", status_code=204, grants=WRITE,
               responses={**NOT_FOUND, **IN_USE})
def delete_district(district_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """A district no assembly reports to."""
    districts.delete_district(principal, district_id, info)
