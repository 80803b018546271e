"""Mentions: a comment's body names members as ``@[<user id>]`` tokens, and each member a comment (or an edit of
it) mentions for the first time is emailed.

The body is the one source of the mentions: what a client shows and what is emailed cannot disagree. Emailing is
the handler of the consumer ``proofs.email_mentions``; the consumer runtime records each event id, so a
redelivered event sends nothing again. Within one run every member is tried; if a send fails the others still go
out and the handler raises, so the event is retried and those already emailed may get a second copy (better
than a mention never arriving).
"""

import re
from collections.abc import Iterable
from textwrap import shorten

from atrium.apps.proofs.comments.schemas import MAX_MENTIONS
from atrium.apps.proofs.events import ProofCommentChanged
from atrium.apps.proofs.proofs.service import check_members
from atrium.identity.api import active_members
from atrium.kernel.config import settings
from atrium.kernel.errors import Unprocessable
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger
from atrium.mail.api import Category, Email, send_email

MENTION = re.compile(r"@\[(usr_[0-9A-Za-z]{1,40})\]")
TEMPLATE = "notification"
# A notification: each member may turn mentions off (preferences, or the email's one-click unsubscribe), and
# send_email then skips them.
CATEGORY = Category.MENTIONS
EXCERPT_LIMIT = 500
TITLE_LIMIT = 120


class MentionsNotSent(Exception):
    """Some mentioned members could not be emailed; the event is retried."""


def mentioned(body: str) -> list[str]:
    """The user ids ``body`` mentions, each once, in order."""
    return list(dict.fromkeys(MENTION.findall(body)))


def check_mentions(tenant_id: str, mentions: list[str], already: Iterable[str] = ()) -> None:
    """At most ``MAX_MENTIONS``, each an active member of the tenant, or 422. Those ``already`` mentioned (by
    the comment before an edit) are not checked again: a member who left since does not block an edit."""
    if len(mentions) > MAX_MENTIONS:
        raise Unprocessable(f"a comment mentions at most {MAX_MENTIONS} members", errors=[
            {"field": "body.body", "message": f"mention at most {MAX_MENTIONS} members", "code": "too_many"}])
    known = set(already)
    check_members(tenant_id, (("body.body", user_id) for user_id in mentions if user_id not in known))


def email_mentioned(event: Envelope) -> None:
    """Email each member the comment newly mentions (not its author; not one who left the tenant since)."""
    data = ProofCommentChanged.model_validate(event.data)
    recipients = set(data.new_mentions) - {data.author_id}
    if not recipients:
        return
    people = active_members(event.tenant_id, recipients | {data.author_id})
    author = people.get(data.author_id)
    title = shorten(event.subject.name or data.proof_id, TITLE_LIMIT, placeholder="…")  # one line: a subject
    context = {
        "headline": f"{author.email if author else 'Someone'} mentioned you on {title}",
        "message": shorten(data.body, EXCERPT_LIMIT, placeholder="…"),
        "action_url": f"{settings().web_url.rstrip('/')}/proofs/{data.proof_id}?comment={data.comment_id}",
        "action_label": "Open the comment",
    }
    failed = []
    for user_id in sorted(recipients & people.keys()):
        try:
            send_email(Email(to=people[user_id].email, template=TEMPLATE, category=CATEGORY, context=context,
                             user_id=user_id))
        except Exception:
            logger.exception("mention not emailed", extra={"user_id": user_id, "comment_id": data.comment_id})
            failed.append(user_id)
    if failed:
        raise MentionsNotSent(f"{len(failed)} member(s) not emailed about comment {data.comment_id}: "
                              + ", ".join(failed))
