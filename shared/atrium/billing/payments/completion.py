"""The handler of ``billing.complete_payment``: Stripe's ``checkout.session.completed`` for a payment-mode session
(``billing.stripe_event``, in the platform tenant's log) becomes the tenant's ``billing.payment_completed``, once.
A session completed unpaid (a delayed method, such as a bank debit) is processing: it is no longer handed out, and
its ``checkout.session.async_payment_succeeded`` completes it.

A session counts only if Atrium made it: the tenant named in its metadata has a record of it, made on the account
the event comes from (``account``: a connected account's; none: the platform's) for the amount and currency paid. A
session made elsewhere (an account owner's own, naming a tenant in its metadata) is logged and ignored. The record
moves from open to completed in the transaction that emits the event, on the condition that it is still open: the
same session's event delivered again, late or out of order, emits nothing more.
"""

from datetime import UTC, datetime
from typing import Any

from atrium.billing.payments.events import PAYMENT_COMPLETED
from atrium.billing.payments.models import COMPLETED, OPEN, PROCESSING, PaymentSessionItem
from atrium.billing.payments.schemas import PaymentCompleted
from atrium.billing.subscriptions.state import STRIPE
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.store.writes import unless_raced
from atrium.kernel.tenancy import tenant_scope

PAYMENT_TYPES = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


class _Completed(Conflict):
    """The session completed before (another delivery of its event)."""


def _recorded(tenant_id: str, session_id: str) -> PaymentSessionItem | None:
    try:
        return PaymentSessionItem.load(tenant_id, session_id, consistent=True)
    except NotFound:
        return None


def _made_by_atrium(item: PaymentSessionItem | None, session: dict[str, Any], account: str | None) -> bool:
    return (item is not None and item.stripe_account_id == account and int(item.amount) == session.get("amount_total")
            and item.currency == session.get("currency"))


def complete_payment(event: Envelope) -> None:
    payload = event.data["payload"]
    session: dict[str, Any] = payload["data"]["object"]
    if event.data["stripe_type"] not in PAYMENT_TYPES or session.get("mode") != "payment":
        return
    tenant_id = (session.get("metadata") or {}).get("tenant_id")
    facts = {"checkout_session": session["id"], "account": payload.get("account"), "tenant": tenant_id}
    if not isinstance(tenant_id, str) or not ids.is_valid_id(tenant_id, "ten"):
        logger.info("stripe payment of no tenant ignored", extra=facts)
        return
    with tenant_scope(tenant_id):
        item = _recorded(tenant_id, session["id"])
        if item is None or not _made_by_atrium(item, session, payload.get("account")):
            logger.warning("stripe payment session not made by atrium ignored", extra=facts)
        elif session.get("payment_status") == "paid":
            _complete(item, payment_intent=str(session["payment_intent"]),
                      paid_at=datetime.fromtimestamp(payload["created"], UTC))
        elif item.status == OPEN:  # the money is on its way: the page is not handed out again
            unless_raced(lambda: item.update([PaymentSessionItem.status.set(PROCESSING)],
                                             condition=PaymentSessionItem.status == OPEN))


def _complete(item: PaymentSessionItem, *, payment_intent: str, paid_at: datetime) -> None:
    if item.status == COMPLETED:
        return
    uow = UnitOfWork(item.tenant_id, STRIPE, RequestInfo())
    uow.update(item, [PaymentSessionItem.status.set(COMPLETED), PaymentSessionItem.payment_intent.set(payment_intent),
                      PaymentSessionItem.completed_at.set(paid_at)],
               condition=PaymentSessionItem.status.is_in(OPEN, PROCESSING), conflict=_Completed("completed"))
    completed = PaymentCompleted(
        reference_kind=item.reference_kind, reference_id=item.reference_id, amount=int(item.amount),
        currency=item.currency, payment_intent=payment_intent, checkout_session_id=item.id,
        stripe_account_id=item.stripe_account_id, paid_at=paid_at)
    uow.record(PAYMENT_COMPLETED.name, subject=Ref(type="checkout_session", id=item.id),
               also_affects=[Ref(type=item.reference_kind, id=item.reference_id)],
               data=completed.model_dump(mode="json"))
    try:
        uow.commit()
    except _Completed:  # a concurrent delivery of the same event completed it
        return
