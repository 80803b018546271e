"""The tenant's Stripe customer id, in the tenant's partition: ``T#<tenant>#StripeCustomer#<tenant>``, one item
per tenant, written only if absent."""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.store.models import TenantEntity


class StripeCustomerItem(TenantEntity, discriminator="StripeCustomer"):
    customer_id = UnicodeAttribute()  # cus_...
