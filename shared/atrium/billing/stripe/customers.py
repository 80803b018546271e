"""A Stripe customer per tenant, created once.

Stripe creates it under the idempotency key ``<tenant id>``: a retry after a lost answer, or a concurrent request,
gets the same customer back (within the 24 hours Stripe keeps a key). Its id is kept in the tenant's partition by
a conditional create: the request that finds it taken reads the one stored, the same customer.
"""

from atrium.billing.stripe.client import calling_stripe, stripe_client
from atrium.billing.stripe.models import StripeCustomerItem
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


class _Recorded(Conflict):
    """Another request recorded the tenant's customer first."""


def find_customer(tenant_id: str, *, consistent: bool = False) -> str | None:
    """The tenant's Stripe customer id, if it has one. Call inside the tenant's scope."""
    try:
        return str(StripeCustomerItem.load(tenant_id, tenant_id, consistent=consistent).customer_id)
    except NotFound:
        return None


def ensure_customer(principal: Principal, info: RequestInfo) -> str:
    tenant_id = principal.tenant_id
    if (found := find_customer(tenant_id)) is not None:
        return found
    # Only what never changes goes to Stripe: a retry sending other parameters under the same key would be refused.
    # Checkout fills in the name and address the customer gives.
    with calling_stripe("create the tenant's customer"):
        customer = stripe_client().v1.customers.create(
            params={"description": f"Atrium tenant {tenant_id}", "metadata": {"tenant_id": tenant_id}},
            options={"idempotency_key": tenant_id})
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    uow.create(StripeCustomerItem(tenant_id=tenant_id, id=tenant_id, customer_id=customer.id),
               conflict=_Recorded("the tenant's Stripe customer is recorded"))
    uow.record("billing.stripe_customer_created", subject=Ref(type="tenant", id=tenant_id),
               data={"customer_id": customer.id}, emit=False)
    try:
        uow.commit()
    except Conflict:  # recorded by a concurrent request (or racing it): the same customer, if it is there now
        if (recorded := find_customer(tenant_id, consistent=True)) is None:
            raise
        return recorded
    return str(customer.id)
