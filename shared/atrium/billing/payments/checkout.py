"""A Checkout Session in payment mode for an app's record (an invoice, say): one line of the amount, on the tenant's
connected Stripe account (``Stripe-Account``) when it has one, else on the platform's.

The session last made for the same record is handed out again while it is open for at least another hour and asks
the same amount, in the same currency, into the same account: asking for the link twice makes one session. Every
session made is recorded (``models.PaymentSessionItem``), so its completion is known to be Atrium's.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from atrium.billing.payments.accounts import connected_account_id
from atrium.billing.payments.models import (
    OPEN,
    REFERENCE_PAYMENTS,
    PaymentSessionItem,
    reference_key,
)
from atrium.billing.payments.schemas import PaymentLink, PaymentRequest
from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.kernel import clock
from atrium.kernel.errors import Conflict
from atrium.kernel.store import keys

# The least Stripe charges in a currency (in its smallest unit); others are left to Stripe.
MINIMUM_CHARGE = {"usd": 50, "eur": 50, "gbp": 30, "cad": 50, "aud": 50}
REUSE_MARGIN = timedelta(hours=1)
# A completed session's record outlives what can still deliver its event: Stripe's retries (3 days), a queue and its
# DLQ (14 days).
KEPT_AFTER = timedelta(days=35)


def _last_session(tenant_id: str, request: PaymentRequest) -> PaymentSessionItem | None:
    collection = keys.bucketed_collection_pk(tenant_id, REFERENCE_PAYMENTS,
                                             reference_key(request.reference_kind, request.reference_id))
    found = PaymentSessionItem.gsi1.query(collection, scan_index_forward=False, limit=1)
    return next((item for item in found if isinstance(item, PaymentSessionItem)), None)


def _reusable(item: PaymentSessionItem, request: PaymentRequest, account_id: str | None) -> bool:
    return (item.status == OPEN and item.pay_by > clock.now() + REUSE_MARGIN and int(item.amount) == request.amount
            and item.currency == request.currency and item.stripe_account_id == account_id)


def _link(item: PaymentSessionItem) -> PaymentLink:
    return PaymentLink(checkout_session_id=item.id, url=item.url, expires_at=item.pay_by, amount=int(item.amount),
                       currency=item.currency, stripe_account_id=item.stripe_account_id)


def _session_params(tenant_id: str, request: PaymentRequest) -> dict[str, Any]:
    # The metadata is how the completed session's event finds its tenant and record.
    metadata = {"tenant_id": tenant_id, "reference_kind": request.reference_kind,
                "reference_id": request.reference_id}
    params: dict[str, Any] = {
        "mode": "payment", "metadata": metadata,
        "line_items": [{"quantity": 1, "price_data": {"currency": request.currency, "unit_amount": request.amount,
                                                      "product_data": {"name": request.description}}}],
        "payment_intent_data": {"metadata": metadata, "description": request.description},
        "success_url": request.success_url, "cancel_url": request.cancel_url}
    if request.customer_email:
        params["customer_email"] = request.customer_email
    return params


def payment_checkout(tenant_id: str, request: PaymentRequest) -> PaymentLink:
    """The Checkout Session taking ``request``'s payment: the open one made for the same record and terms, or a new
    one. A 409 below the least Stripe charges; Stripe unreachable or refusing is a 503 or a 502. Call inside the
    tenant's scope."""
    minimum = MINIMUM_CHARGE.get(request.currency, 1)
    if request.amount < minimum:
        raise Conflict(f"Stripe charges at least {minimum / 100:.2f} {request.currency.upper()}")
    account_id = connected_account_id(tenant_id)
    last = _last_session(tenant_id, request)
    if last is not None and _reusable(last, request, account_id):
        return _link(last)
    with calling_stripe("start a payment"):
        session = stripe_client().v1.checkout.sessions.create(
            params=_session_params(tenant_id, request),  # type: ignore[arg-type]
            options={"stripe_account": account_id} if account_id else {})
    pay_by = datetime.fromtimestamp(session.expires_at, UTC)
    item = PaymentSessionItem(tenant_id=tenant_id, id=session.id, reference_kind=request.reference_kind,
                              reference_id=request.reference_id, amount=request.amount, currency=request.currency,
                              stripe_account_id=account_id, url=str(session.url), pay_by=pay_by,
                              expires_at=pay_by + KEPT_AFTER)
    item.save()
    return _link(item)
