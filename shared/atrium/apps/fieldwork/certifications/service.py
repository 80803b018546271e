"""Testers' certifications: create for an active member holding the tester role, read, list (all, or a tester's),
change, delete."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.certifications.models import TESTER_CERTIFICATIONS, CertificationItem
from atrium.apps.fieldwork.certifications.schemas import (
    CertificationChanged,
    CertificationCreate,
    CertificationList,
    CertificationOut,
    CertificationUpdate,
)
from atrium.apps.fieldwork.events import CERTIFICATION
from atrium.apps.fieldwork.records import Change
from atrium.identity.api import active_members
from atrium.kernel import ids
from atrium.kernel.errors import Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.pages import collection_page, fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

TESTER = "tester"


def load_certification(tenant_id: str, certification_id: str, *, consistent: bool = False) -> CertificationItem:
    return records.load(CertificationItem, "crt", tenant_id, certification_id, consistent=consistent)


def tester_certifications(tenant_id: str, user_id: str) -> list[CertificationItem]:
    """Every certification of the tester (a handful), in one Query."""
    collection = keys.bucketed_collection_pk(tenant_id, TESTER_CERTIFICATIONS, user_id)
    return [c for c in CertificationItem.gsi2.query(collection) if isinstance(c, CertificationItem)]


def check_tester(tenant_id: str, user_id: str, *, field: str, detail: str) -> None:
    """``user_id`` is an active member holding the tester role (one BatchGetItem), or 422 naming ``field``."""
    member = active_members(tenant_id, {user_id}).get(user_id) if ids.is_valid_id(user_id, "usr") else None
    if member is None or TESTER not in member.roles:
        raise Unprocessable(detail, errors=[
            {"field": field, "message": "not an active member holding the tester role", "code": "not_tester"}])


def _write(principal: Principal, info: RequestInfo, certification: CertificationItem,
           change: Change) -> tuple[CertificationOut, int]:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    name = f"{certification.certifying_body} {certification.number}"
    records.commit(uow, certification, change, CERTIFICATION.of(change), name, CertificationChanged)
    return records.shown(CertificationOut, certification), certification.version or 0


def create_certification(principal: Principal, body: CertificationCreate,
                         info: RequestInfo) -> tuple[CertificationOut, int]:
    check_tester(principal.tenant_id, body.user_id, field="body.user_id", detail="a certification is a tester's")
    certification = CertificationItem(tenant_id=principal.tenant_id, id=ids.new_id("crt"),
                                      **body.model_dump(mode="json"))
    return _write(principal, info, certification, "created")


def get_certification(principal: Principal, certification_id: str) -> tuple[CertificationOut, int]:
    certification = load_certification(principal.tenant_id, certification_id)
    return records.shown(CertificationOut, certification), certification.version or 0


def list_certifications(principal: Principal, user_id: str | None, *, limit: int,
                        cursor: str | None) -> CertificationList:
    """Oldest first: every one in the tenant, or ``user_id``'s."""
    if user_id is None:
        page = collection_page(CertificationItem, principal.tenant_id, limit=limit, cursor=cursor,
                               query="fieldwork:certifications")
        return CertificationList(data=[records.shown(CertificationOut, c) for c in page.items],
                                 next_cursor=page.next_cursor)
    if not ids.is_valid_id(user_id, "usr"):
        return CertificationList(data=[], next_cursor=None)
    collection = keys.bucketed_collection_pk(principal.tenant_id, TESTER_CERTIFICATIONS, user_id)
    found = fetch_page(lambda start: CertificationItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                                  last_evaluated_key=start),
                       cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:certifications:{user_id}")
    return CertificationList(data=[records.shown(CertificationOut, c) for c in found.items
                                   if isinstance(c, CertificationItem)], next_cursor=found.next_cursor)


def update_certification(principal: Principal, certification_id: str, change: CertificationUpdate,
                         expected_version: int, info: RequestInfo) -> tuple[CertificationOut, int]:
    certification = load_certification(principal.tenant_id, certification_id, consistent=True)
    records.check_version(certification, expected_version)
    records.apply(certification, change)
    return _write(principal, info, certification, "updated")


def delete_certification(principal: Principal, certification_id: str, info: RequestInfo) -> None:
    certification = load_certification(principal.tenant_id, certification_id, consistent=True)
    _write(principal, info, certification, "deleted")
