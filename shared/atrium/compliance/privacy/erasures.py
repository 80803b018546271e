"""Personal-data erasure (GDPR Article 17): requested now, carried out when its grace period ends
(``privacy_erasure_grace_days``, 7 days), cancelable until then.

The request is recorded (``privacy.erasure_requested``) and a task is queued for its due time (a one-time schedule:
``kernel/tasks.py``). The task carries it out only if it is still pending: every context's provider erases what it
holds about the person, then the erasure is completed with what each erased, the person's email on it erased too,
and ``privacy.erased`` is emitted. An erasure a rule refuses (a last owner) is marked failed with the reason (what
was erased before stays erased); one that fails otherwise is retried by its queue. Either way, what it changed is
traced and kept (``traces``), for a restore of an older backup to change again.
"""

from datetime import timedelta
from typing import Any

from atrium import manifest
from atrium.compliance.privacy import traces
from atrium.compliance.privacy.events import ERASED, ERASURE_CANCELED, ERASURE_REQUESTED, Erased, ErasureChanged
from atrium.compliance.privacy.models import ErasureItem
from atrium.compliance.privacy.schemas import ErasureList, ErasureOut, SubjectOut
from atrium.compliance.privacy.subjects import identified
from atrium.kernel import clock, ids, tasks
from atrium.kernel.config import settings
from atrium.kernel.errors import AtriumError, Conflict, NotFound
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.observability import logger
from atrium.kernel.personal_data import ERASER, Subject, erase_personal, tracing
from atrium.kernel.store.pages import collection_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of, tenant_scope

CARRY_OUT = "privacy.carry_out_erasure"
PENDING, CANCELED, COMPLETED, FAILED = "pending", "canceled", "completed", "failed"


def erasure_out(item: ErasureItem) -> ErasureOut:
    return ErasureOut(
        id=item.id, status=item.status, subject=SubjectOut(user_id=item.subject_user_id, email=(
            None if item.status == COMPLETED else item.subject_email)),
        due_at=item.due_at, requested_by=item.requested_by, created_at=item.created_at,
        canceled_at=item.canceled_at, completed_at=item.completed_at, erased=item.erased, error=item.error)


def _record(uow: UnitOfWork, item: ErasureItem, event: EventType) -> None:
    data = ErasureChanged(erasure_id=item.id, status=item.status, due_at=clock.iso(item.due_at))
    uow.record(event.name, subject=Ref(type="privacy_erasure", id=item.id), data=data.model_dump())


def request_erasure(principal: Principal, subject: Subject, info: RequestInfo) -> tuple[ErasureOut, int]:
    """Record the erasure and queue its task for when it is due. The task is queued first: if the write then
    fails, the task finds no erasure and does nothing."""
    item = ErasureItem(tenant_id=principal.tenant_id, id=ids.new_id("era"), subject_user_id=subject.user_id,
                       subject_email=subject.email, requested_by=principal.id,
                       due_at=clock.now() + timedelta(days=settings().privacy_erasure_grace_days))
    tasks.send(CARRY_OUT, [tasks.Task({"tenant_id": item.tenant_id, "erasure_id": item.id}, key=item.id)],
               at=item.due_at)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.create(item, conflict=Conflict("id collision; retry"))
    _record(uow, item, ERASURE_REQUESTED)
    uow.commit()
    return erasure_out(item), int(item.version or 0)


def _load(tenant_id: str, erasure_id: str, *, consistent: bool = False) -> ErasureItem:
    if not ids.is_valid_id(erasure_id, "era"):
        raise NotFound(f"erasure {erasure_id} not found")
    return ErasureItem.load(tenant_id, erasure_id, consistent=consistent)


def list_erasures(tenant_id: str, *, limit: int, cursor: str | None) -> ErasureList:
    page = collection_page(ErasureItem, tenant_id, limit=limit, cursor=cursor, query="erasures", newest_first=True)
    return ErasureList(data=[erasure_out(item) for item in page.items], next_cursor=page.next_cursor)


def get_erasure(principal: Principal, erasure_id: str) -> tuple[ErasureOut, int]:
    item = _load(principal.tenant_id, erasure_id)
    return erasure_out(item), int(item.version or 0)


def cancel_erasure(principal: Principal, erasure_id: str, info: RequestInfo) -> tuple[ErasureOut, int]:
    """Cancel a pending erasure (its task then does nothing); 409 once it was carried out or canceled."""
    item = _load(principal.tenant_id, erasure_id, consistent=True)
    if item.status != PENDING:
        raise Conflict(f"erasure {erasure_id} is {item.status}; only a pending one can be canceled")
    item.status, item.canceled_at = CANCELED, clock.now()
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.save(item)
    _record(uow, item, ERASURE_CANCELED)
    uow.commit()
    return erasure_out(item), int(item.version or 0)


def carry_out(bodies: list[dict[str, Any]]) -> set[int]:
    """The task: each erasure that is due and still pending."""
    for body in bodies:
        with tenant_scope(body["tenant_id"]):
            carry_out_erasure(body["tenant_id"], body["erasure_id"])
    return set()


def carry_out_erasure(tenant_id: str, erasure_id: str) -> str:
    """Erase the subject everywhere if the erasure is pending and due; its status afterwards."""
    try:
        item = _load(tenant_id, erasure_id, consistent=True)
    except NotFound:
        return "missing"  # its request failed after the task was queued
    if item.status != PENDING:
        return str(item.status)
    if clock.now() < item.due_at:  # woken early: wait for its time again
        tasks.send(CARRY_OUT, [tasks.Task({"tenant_id": tenant_id, "erasure_id": erasure_id}, key=item.id)],
                   at=item.due_at)
        return PENDING
    subject = identified(tenant_id, Subject(user_id=item.subject_user_id, email=item.subject_email))
    if subject.user_id is not None and item.subject_user_id is None:
        # Kept before anything is erased: the membership that led from the email to the user goes first, so a
        # retry of a failed attempt finds the person by this id.
        item.subject_user_id = subject.user_id
        item.save()
    erased: dict[str, int] = {}
    refusal: str | None = None
    try:
        with tracing() as trace:
            for provider in manifest.personal_data_providers():
                erased[provider.name] = provider.erase(tenant_id, subject, provider.find(tenant_id, subject))
    except AtriumError as error:  # a rule refused it (the last owner): say so, and keep what was erased
        logger.info("erasure refused", extra={"erasure_id": erasure_id, "reason": str(error)})
        refusal = str(error)
    finally:  # a failed attempt's trace too: its retry no longer finds what this one erased
        traces.keep(tenant_id, item.id, trace)
    return _finish(item, COMPLETED if refusal is None else FAILED, erased, refusal)


def _finish(item: ErasureItem, status: str, erased: dict[str, int], error: str | None) -> str:
    item.status, item.erased, item.error = status, erased, error
    uow = UnitOfWork(item.tenant_id, ERASER)
    if status == COMPLETED:
        item.completed_at = clock.now()
        erase_personal(item)
        uow.save(item)
        uow.record(ERASED.name, subject=Ref(type="privacy_erasure", id=item.id),
                   data=Erased(erasure_id=item.id, erased=erased).model_dump())
    else:
        uow.save(item)
        uow.record("privacy.erasure_failed", subject=Ref(type="privacy_erasure", id=item.id), data={},
                   metadata={"reason": error}, emit=False)
    uow.commit()
    return status
