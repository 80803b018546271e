"""Testers' certifications routes."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.apps.fieldwork.certifications.schemas import (
    CertificationCreate,
    CertificationList,
    CertificationOut,
    CertificationUpdate,
)
from atrium.apps.fieldwork.routing import CERTIFICATION_PATH, CERTIFICATIONS_PATH, CREATED, NOT_FOUND, READ_ONE, UPDATED
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.certifications import service as certifications
else:
    (certifications,) = lazy_modules("atrium.apps.fieldwork.certifications", "service")

router = ContextRouter("fieldwork")


@router.post(CERTIFICATIONS_PATH, name="create_certification", permission="certifications:create", status_code=201,
             idempotent=True, grants=WRITE,
             responses={**CREATED, 422: {"description": "The user is not an active member holding the tester role"}})
def create_certification(body: CertificationCreate, principal: CurrentPrincipal, info: CurrentRequest,
                         response: Response) -> CertificationOut:
    """A tester's certification: its number, who issued it, and the last day it is valid. Signing a test report
    needs one that has not expired."""
    certification, version = certifications.create_certification(principal, body, info)
    response.headers["Location"] = f"{CERTIFICATIONS_PATH}/{certification.id}"
    response.headers["ETag"] = etag(version)
    return certification


@router.get(CERTIFICATIONS_PATH, name="list_certifications", permission="certifications:read",
            grants={*READ, Grant.CURSOR_KEY_READ})
def list_certifications(principal: CurrentPrincipal, paging: Paging,
                        user_id: Annotated[str | None, Query(max_length=40, description="Only this tester's")] = None,
                        ) -> CertificationList:
    """The tenant's certifications (or one tester's), oldest first."""
    return certifications.list_certifications(principal, user_id, limit=paging.limit, cursor=paging.cursor)


@router.get(CERTIFICATION_PATH, name="get_certification", permission="certifications:read", grants=READ,
            responses=READ_ONE)
def get_certification(certification_id: str, principal: CurrentPrincipal, response: Response) -> CertificationOut:
    """A certification. The ETag header is the version to send in If-Match."""
    certification, version = certifications.get_certification(principal, certification_id)
    response.headers["ETag"] = etag(version)
    return certification


@router.patch(CERTIFICATION_PATH, name="update_certification", permission="certifications:update", grants=WRITE,
              responses=UPDATED)
def update_certification(certification_id: str, body: CertificationUpdate, principal: CurrentPrincipal,
                         version: ExpectedVersion, info: CurrentRequest, response: Response) -> CertificationOut:
    """Change the number, certifying body or expiry (a renewal). Requires If-Match."""
    certification, new_version = certifications.update_certification(principal, certification_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return certification


@router.delete(CERTIFICATION_PATH, name="delete_certification", permission="certifications:delete", status_code=204,
               grants=WRITE, responses=NOT_FOUND)
def delete_certification(certification_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """A certification."""
    certifications.delete_certification(principal, certification_id, info)
