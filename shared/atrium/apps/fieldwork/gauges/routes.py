"""Test gauge routes."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.apps.fieldwork.gauges.schemas import GaugeCreate, GaugeList, GaugeOut, GaugeUpdate
from atrium.apps.fieldwork.routing import CREATED, GAUGE_PATH, GAUGES_PATH, NOT_FOUND, READ_ONE, UPDATED
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.gauges import service as gauges
else:
    (gauges,) = lazy_modules("atrium.apps.fieldwork.gauges", "service")

router = ContextRouter("fieldwork")
SERIAL_TAKEN = {409: {"description": "The tenant has a gauge with this serial"}}


@router.post(GAUGES_PATH, name="create_gauge", permission="gauges:create", status_code=201, idempotent=True,
             grants=WRITE, responses={**CREATED, **SERIAL_TAKEN})
def create_gauge(body: GaugeCreate, principal: CurrentPrincipal, info: CurrentRequest, response: Response) -> GaugeOut:
    """A test gauge and the last day of its calibration. Signing a test report read with it needs it in
    calibration."""
    gauge, version = gauges.create_gauge(principal, body, info)
    response.headers["Location"] = f"{GAUGES_PATH}/{gauge.id}"
    response.headers["ETag"] = etag(version)
    return gauge


@router.get(GAUGES_PATH, name="list_gauges", permission="gauges:read", grants={*READ, Grant.CURSOR_KEY_READ})
def list_gauges(principal: CurrentPrincipal, paging: Paging) -> GaugeList:
    """The tenant's gauges, oldest first."""
    return gauges.list_gauges(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(GAUGE_PATH, name="get_gauge", permission="gauges:read", grants=READ, responses=READ_ONE)
def get_gauge(gauge_id: str, principal: CurrentPrincipal, response: Response) -> GaugeOut:
    """A gauge. The ETag header is the version to send in If-Match."""
    gauge, version = gauges.get_gauge(principal, gauge_id)
    response.headers["ETag"] = etag(version)
    return gauge


@router.patch(GAUGE_PATH, name="update_gauge", permission="gauges:update", grants=WRITE,
              responses={**UPDATED, **SERIAL_TAKEN})
def update_gauge(gauge_id: str, body: GaugeUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                 info: CurrentRequest, response: Response) -> GaugeOut:
    """Change a gauge's serial, make, model or calibration expiry (after a calibration). Requires If-Match."""
    gauge, new_version = gauges.update_gauge(principal, gauge_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return gauge


@router.delete(GAUGE_PATH, name="delete_gauge", permission="gauges:delete", status_code=204, grants=WRITE,
               responses=NOT_FOUND)
def delete_gauge(gauge_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """A gauge, with its serial freed."""
    gauges.delete_gauge(principal, gauge_id, info)
