"""Comments routes: threaded comments on a proof's versions and regions, with mentions."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.apps.proofs.comments.schemas import CommentCreate, CommentList, CommentOut, CommentUpdate
from atrium.apps.proofs.routing import NOT_FOUND, PROOF_PATH
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.proofs.comments import service as comments
else:
    (comments,) = lazy_modules("atrium.apps.proofs.comments", "service")

router = ContextRouter("proofs")

COMMENTS_PATH = f"{PROOF_PATH}/comments"
COMMENT_PATH = f"{COMMENTS_PATH}/{{comment_id}}"
_COMMENT_GONE = {409: {"description": "The comment was deleted"}}


@router.post(COMMENTS_PATH, name="create_proof_comment", permission="proofs:comment", status_code=201,
             idempotent=True, grants=WRITE,
             responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER}, **NOT_FOUND,
                        422: {"description": "A parent not on this proof, a version it does not have, a region "
                                             "without a version, or a mention of someone who is not a member"}})
def create_proof_comment(proof_id: str, body: CommentCreate, principal: CurrentPrincipal, info: CurrentRequest,
                         response: Response) -> CommentOut:
    """Comment on a proof, or answer a comment (``parent_id``). Members mentioned as ``@[<user id>]`` are
    emailed (unless they turned mention emails off)."""
    comment, version = comments.create_comment(principal, proof_id, body, info)
    response.headers["Location"] = f"{COMMENTS_PATH.format(proof_id=proof_id)}/{comment.id}"
    response.headers["ETag"] = etag(version)
    return comment


@router.get(COMMENTS_PATH, name="list_proof_comments", permission="proofs:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_proof_comments(proof_id: str, principal: CurrentPrincipal, paging: Paging,
                        version: Annotated[int | None, Query(ge=1, description="Only the comments on this "
                                                                                "version")] = None) -> CommentList:
    """The proof's comments, oldest first; a client builds the threads from ``parent_id``."""
    return comments.list_comments(principal, proof_id, version, limit=paging.limit, cursor=paging.cursor)


@router.patch(COMMENT_PATH, name="update_proof_comment", permission="proofs:comment", grants=WRITE,
              responses={200: {"headers": ETAG_HEADER}, **NOT_FOUND, **_COMMENT_GONE,
                         403: {"description": "Not the comment's author"},
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"},
                         422: {"description": "A mention of someone who is not a member"}})
def update_proof_comment(proof_id: str, comment_id: str, body: CommentUpdate, principal: CurrentPrincipal,
                         version: ExpectedVersion, info: CurrentRequest, response: Response) -> CommentOut:
    """Change your own comment's text. Members it now mentions for the first time are emailed."""
    comment, new_version = comments.update_comment(principal, proof_id, comment_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return comment


@router.delete(COMMENT_PATH, name="delete_proof_comment", permission="proofs:comment", status_code=204,
               grants=WRITE, responses={**NOT_FOUND, **_COMMENT_GONE,
                                        403: {"description": "Neither the author nor allowed to delete the proof"}})
def delete_proof_comment(proof_id: str, comment_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete your own comment (admins, who may delete the proof, may delete any). Its replies stay: it keeps its
    place in the thread, without its text."""
    comments.delete_comment(principal, proof_id, comment_id, info)
