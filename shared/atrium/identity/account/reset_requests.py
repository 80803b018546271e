"""Asking for a password reset link, for a user who cannot sign in.

Whether an email has an account is never revealed, neither by the answer nor by how long it takes: the route only
validates the address and queues it (``queue_reset``: one SendMessageBatch, the same AWS calls for any address),
and every request gets the same 202 and body. The lookup happens on the task queue ``account.look_up_password_reset``
(``look_up``): a known address's request is recorded in the user's first tenant (``users.audit_tenant``), with an
``account.password_reset_requested`` event whose consumer mints the link and sends it. A failed send is retried
from the queue instead of being lost.
"""

from typing import Any

from atrium.identity.account.events import PASSWORD_RESET_REQUESTED, PasswordResetRequested
from atrium.identity.account.one_time_tokens import PASSWORD_RESET
from atrium.identity.account.throttle import link_email_limit
from atrium.identity.account.users import audit_tenant, user_ref
from atrium.identity.models import UserEmailItem, UserItem
from atrium.kernel import tasks
from atrium.kernel.events.envelope import Ref
from atrium.kernel.observability import logger
from atrium.kernel.store.counters import LimitReached, take_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope

ACCEPTED = "If an account uses this email, a link to reset its password is on its way."
ANONYMOUS = Ref(type="anonymous", id="anonymous")
LOOKUP_TASK = "account.look_up_password_reset"


def queue_reset(email: str, info: RequestInfo) -> None:
    """The route's whole work, whatever the address: the lookup goes on the task queue."""
    email = email.lower()
    tasks.send(LOOKUP_TASK, [tasks.Task({"email": email, "request": info.as_map()}, key=email)])


def look_up(bodies: list[dict[str, Any]]) -> set[int]:
    """The task handler: each body's request, on its own (one that fails goes back to the queue)."""
    failed = set()
    for position, body in enumerate(bodies):
        try:
            request_reset(body["email"], RequestInfo(**body["request"]))
        except Exception:
            logger.exception("password reset lookup failed; it returns to the queue")
            failed.add(position)
    return failed


def request_reset(email: str, info: RequestInfo) -> None:
    """Record the request of a known address (at most one link per address per interval); nothing otherwise."""
    pointer = UserEmailItem.find_email(email)
    user = UserItem.find(pointer.user_id) if pointer else None
    tenant_id = audit_tenant(user) if user else None
    if pointer is None or user is None or tenant_id is None:
        return
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, ANONYMOUS, info)
        take_in(uow, link_email_limit(PASSWORD_RESET), pointer.natural_key)  # the address's index
        uow.record(PASSWORD_RESET_REQUESTED.name, subject=user_ref(user.id),
                   data=PasswordResetRequested(user_id=user.id, email=user.email).model_dump())
        try:
            uow.commit()
        except LimitReached:
            return  # a link went to this address moments ago
