"""Comments on a proof: a thread (replies name their parent), optionally on a version and a region of it.

Each change is one unit of work: the comment, its audit entry and its event (``proof.commented``,
``proof.comment_edited``, ``proof.comment_deleted``). Only the author edits a comment; the author, or whoever
may delete the proof (``proofs:delete``: admins), deletes it. A deleted comment keeps its place in the thread,
so it answers 409 to a further edit or delete before anyone's right to act on it is checked.
"""

from atrium.apps.proofs.comments.mentions import check_mentions, mentioned
from atrium.apps.proofs.comments.models import ProofCommentItem, Region, thread_pk
from atrium.apps.proofs.comments.schemas import CommentCreate, CommentList, CommentOut, CommentUpdate, RegionOut
from atrium.apps.proofs.events import (
    PROOF_COMMENT_DELETED,
    PROOF_COMMENT_EDITED,
    PROOF_COMMENTED,
    ProofCommentChanged,
)
from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs.models import ProofItem
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.reads import Found
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

MODERATE = "proofs:delete"  # who may delete a proof may delete any comment on it


def _region_out(region: Region | None) -> RegionOut | None:
    return None if region is None else RegionOut(x=region.x, y=region.y, w=region.w, h=region.h)


def comment_out(comment: ProofCommentItem) -> CommentOut:
    version = comment.version_number
    return CommentOut(id=comment.id, proof_id=comment.proof_id, author_id=comment.author_id,
                      parent_id=comment.parent_id, version=None if version is None else int(version),
                      region=_region_out(comment.region), body=comment.body, mentions=list(comment.mentions),
                      deleted=comment.deleted, edited_at=clock.iso(comment.edited_at) if comment.edited_at else None,
                      created_at=clock.iso(comment.created_at))


def _read(tenant_id: str, proof_id: str, comment_id: str | None) -> tuple[ProofItem, ProofCommentItem | None]:
    """The proof and, when named, one of its comments (None if it is not on this proof), in one BatchGetItem."""
    if not ids.is_valid_id(proof_id, "prf"):
        raise proof_store.not_found(proof_id)
    wanted: list[Item] = [ProofItem(tenant_id=tenant_id, id=proof_id)]
    if comment_id is not None and ids.is_valid_id(comment_id, "cmt"):
        wanted.append(ProofCommentItem(tenant_id=tenant_id, id=comment_id, proof_id=proof_id))
    found = Found(wanted)
    proof, comment = found.get(ProofItem), found.get(ProofCommentItem)
    if proof is None:
        raise proof_store.not_found(proof_id)
    return proof, comment if comment is not None and comment.proof_id == proof_id else None


def _commit(principal: Principal, proof: ProofItem, comment: ProofCommentItem, event: EventType,
            new_mentions: list[str], info: RequestInfo, *, new: bool = False) -> None:
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if new:
        uow.create(comment, conflict=Conflict("id collision; retry"))
    else:
        uow.save(comment)
    comment_view = comment_out(comment)
    data = ProofCommentChanged(proof_id=proof.id, comment_id=comment.id, author_id=comment.author_id,
                               parent_id=comment.parent_id, version=comment_view.version,
                               region=comment_view.region.model_dump() if comment_view.region else None,
                               body=comment.body, mentions=list(comment.mentions), new_mentions=new_mentions)
    uow.record(event.name, subject=proof_store.subject(proof), data=data.model_dump(),
               also_affects=[Ref(type="proof_comment", id=comment.id)])
    uow.commit()


def _invalid(field: str, message: str, code: str) -> Unprocessable:
    return Unprocessable(message, errors=[{"field": field, "message": message, "code": code}])


def _version_of(proof: ProofItem, body: CommentCreate, parent: ProofCommentItem | None) -> int | None:
    """The version the comment is on: its parent's for a reply, else the one it names, which must exist."""
    if body.parent_id is not None:
        if parent is None:
            raise _invalid("body.parent_id", f"comment {body.parent_id} is not on this proof", "not_found")
        if body.version is not None or body.region is not None:
            raise _invalid("body.version", "a reply is on its parent's version and region: name neither",
                           "reply_version")
        return None if parent.version_number is None else int(parent.version_number)
    if body.version is not None and body.version > proof.current_version:
        raise _invalid("body.version", f"the proof has no version {body.version}", "no_such_version")
    return body.version


def create_comment(principal: Principal, proof_id: str, body: CommentCreate, info: RequestInfo) -> tuple[CommentOut,
                                                                                                         int]:
    proof, parent = _read(principal.tenant_id, proof_id, body.parent_id)
    version = _version_of(proof, body, parent)
    mentions = mentioned(body.body)
    check_mentions(principal.tenant_id, mentions)
    region = None if body.region is None else Region(**body.region.model_dump())  # type: ignore[no-untyped-call]
    comment = ProofCommentItem(tenant_id=principal.tenant_id, id=ids.new_id("cmt"), proof_id=proof.id,
                               author_id=principal.id, parent_id=body.parent_id, version_number=version,
                               region=region, body=body.body, mentions=mentions)
    _commit(principal, proof, comment, PROOF_COMMENTED, mentions, info, new=True)
    return comment_out(comment), comment.version or 0


def list_comments(principal: Principal, proof_id: str, version: int | None, *, limit: int,
                  cursor: str | None) -> CommentList:
    """Oldest first. The proof is read first, so a deleted proof (or another tenant's) is a 404, not a list."""
    proof = proof_store.load(principal.tenant_id, proof_id)
    thread = thread_pk(principal.tenant_id, proof.id, version)
    index = ProofCommentItem.gsi1 if version is None else ProofCommentItem.gsi2
    page = fetch_page(lambda start: index.query(thread, limit=limit, page_size=limit, last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"proof-comments:{proof.id}:{version}")
    return CommentList(data=[comment_out(item) for item in page.items if isinstance(item, ProofCommentItem)],
                       next_cursor=page.next_cursor)


def _for_change(principal: Principal, proof_id: str, comment_id: str, *,
                may_moderate: bool) -> tuple[ProofItem, ProofCommentItem]:
    proof, comment = _read(principal.tenant_id, proof_id, comment_id)
    if comment is None:
        raise NotFound(f"comment {comment_id} not found")
    if comment.deleted:
        raise Conflict("the comment was deleted")
    if comment.author_id != principal.id and not (may_moderate and principal.can(MODERATE)):
        raise Forbidden("only the comment's author may " + ("delete it" if may_moderate else "edit it"))
    return proof, comment


def update_comment(principal: Principal, proof_id: str, comment_id: str, change: CommentUpdate,
                   expected_version: int, info: RequestInfo) -> tuple[CommentOut, int]:
    proof, comment = _for_change(principal, proof_id, comment_id, may_moderate=False)
    mentions = mentioned(change.body)
    check_mentions(principal.tenant_id, mentions, already=comment.mentions)
    new_mentions = [user_id for user_id in mentions if user_id not in comment.mentions]
    if comment.version != expected_version:
        raise PreconditionFailed("the comment has changed since you read it; read it again")
    comment.body, comment.mentions, comment.edited_at = change.body, mentions, clock.now()
    _commit(principal, proof, comment, PROOF_COMMENT_EDITED, new_mentions, info)
    return comment_out(comment), comment.version or 0


def delete_comment(principal: Principal, proof_id: str, comment_id: str, info: RequestInfo) -> None:
    proof, comment = _for_change(principal, proof_id, comment_id, may_moderate=True)
    comment.body, comment.mentions, comment.deleted = "", [], True
    _commit(principal, proof, comment, PROOF_COMMENT_DELETED, [], info)
