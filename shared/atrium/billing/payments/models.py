"""The tenant's payment account and the Checkout Sessions made for apps' payments.

- ``T#<tenant>#PaymentAccount#<tenant>``: the tenant's own Stripe account (Connect) its customers pay into; none
  (or no item): the platform's account.
- ``T#<tenant>#PaymentSession#<cs_...>``: a session made for an app's record (its reference), on gsi1 under
  ``T#<tenant>#ReferencePayments#<kind>:<id>``, newest first, so the session last made for a record is one Query.
  It is how a completed session is known to be Atrium's (made for this tenant, record, amount and account) and how
  it completes once. Kept until 35 days after Stripe stops taking payment on it (longer than Stripe retries an
  event, or a queue and its DLQ keep one).
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity

REFERENCE_PAYMENTS = "ReferencePayments"
# open -> completed (paid); or open -> processing (completed unpaid: a delayed method, such as a bank debit) ->
# completed when Stripe reports the money arrived.
OPEN, PROCESSING, COMPLETED = "open", "processing", "completed"


def reference_key(reference_kind: str, reference_id: str) -> str:
    return f"{reference_kind}:{reference_id}"


class PaymentAccountItem(TenantEntity, discriminator="PaymentAccount"):
    stripe_account_id = UnicodeAttribute(null=True)  # acct_...; none: the platform's account
    business_name = UnicodeAttribute(null=True)  # the account's, as Stripe told it when set


class PaymentSessionItem(TenantEntity, discriminator="PaymentSession"):
    reference_kind = UnicodeAttribute()  # the app's kind of record: fieldwork.invoice
    reference_id = UnicodeAttribute()
    amount = NumberAttribute()  # in the currency's smallest unit
    currency = UnicodeAttribute()
    stripe_account_id = UnicodeAttribute(null=True)  # the connected account it was made on; none: the platform's
    url = UnicodeAttribute()
    pay_by = UTCDateTimeAttribute()  # when Stripe stops taking payment on it
    status = UnicodeAttribute(default=OPEN)
    payment_intent = UnicodeAttribute(null=True)
    completed_at = UTCDateTimeAttribute(null=True)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = keys.bucketed_collection_pk(self.tenant_id, REFERENCE_PAYMENTS,
                                                  reference_key(self.reference_kind, self.reference_id))
        self.gsi1sk = f"{clock.iso(self.created_at)}#{self.id}"
