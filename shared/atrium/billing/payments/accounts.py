"""The tenant's payment account: its own Stripe account, connected to the platform (Stripe Connect), that its
customers' payments go into; none set, the platform's account takes them. Set by the tenant's billing members
(``billing:manage``, stepped up: it says where money goes), after Stripe confirms the account is connected and takes
charges. Each change is audited and emitted (``billing.payment_account_changed``)."""

from atrium.billing.payments.events import PAYMENT_ACCOUNT_CHANGED, PaymentAccountChanged
from atrium.billing.payments.models import PaymentAccountItem
from atrium.billing.payments.schemas import PaymentAccountOut, PaymentAccountSet
from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.kernel.errors import NotFound, PreconditionFailed, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

FIELD = "body.stripe_account_id"


def find_payment_account(tenant_id: str, *, consistent: bool = False) -> PaymentAccountItem | None:
    """One GetItem. Call inside the tenant's scope."""
    try:
        return PaymentAccountItem.load(tenant_id, tenant_id, consistent=consistent)
    except NotFound:
        return None


def connected_account_id(tenant_id: str) -> str | None:
    """The connected account the tenant's customers pay into; None: the platform's."""
    found = find_payment_account(tenant_id)
    return None if found is None else found.stripe_account_id


def _shown(item: PaymentAccountItem | None) -> PaymentAccountOut:
    if item is None:
        return PaymentAccountOut(stripe_account_id=None, business_name=None)
    return PaymentAccountOut(stripe_account_id=item.stripe_account_id, business_name=item.business_name)


def get_payment_account(principal: Principal) -> PaymentAccountOut:
    return _shown(find_payment_account(principal.tenant_id))


def _business_name(account_id: str) -> str | None:
    """The connected account's business name, or a 422 when it is not connected to the platform or takes no
    charges."""
    import stripe

    with calling_stripe("read the connected account"):
        try:
            account = stripe_client().v1.accounts.retrieve(account_id)
        except stripe.StripeError as error:
            if error.http_status not in (403, 404):
                raise
            raise Unprocessable("no such Stripe account is connected to the platform", errors=[
                {"field": FIELD, "message": "not an account connected to the platform (Stripe Connect)",
                 "code": "not_connected"}]) from None
    if not account.charges_enabled:
        raise Unprocessable("the Stripe account cannot take charges yet", errors=[
            {"field": FIELD, "message": "finish the account's onboarding at Stripe first", "code": "charges_disabled"}])
    profile = account.business_profile
    return None if profile is None else profile.name


def set_payment_account(principal: Principal, body: PaymentAccountSet, info: RequestInfo) -> PaymentAccountOut:
    tenant_id, account_id = principal.tenant_id, body.stripe_account_id
    name = None if account_id is None else _business_name(account_id)
    found = find_payment_account(tenant_id, consistent=True)
    previous = None if found is None else found.stripe_account_id
    if found is not None and (previous, found.business_name) == (account_id, name):
        return _shown(found)
    item = found or PaymentAccountItem(tenant_id=tenant_id, id=tenant_id)
    item.stripe_account_id, item.business_name = account_id, name
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    if found is None:
        uow.create(item, conflict=PreconditionFailed("the payment account was set meanwhile; retry"))
    else:
        uow.save(item)
    uow.record(PAYMENT_ACCOUNT_CHANGED.name, subject=Ref(type="payment_account", id=tenant_id),
               data=PaymentAccountChanged(stripe_account_id=account_id,
                                          previous_stripe_account_id=previous).model_dump())
    uow.commit()
    return _shown(item)
