"""What an app asks for to be paid through Stripe Checkout and what it gets back, the data of a completed payment's
event, and the tenant's payment account in the API. Amounts are in the currency's smallest unit (cents)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

# The app, then its kind of record (``fieldwork.invoice``); the record's id. Both go into keys and Stripe metadata.
REFERENCE_KIND = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
REFERENCE_ID = r"^[A-Za-z0-9_-]{1,64}$"
STRIPE_ACCOUNT = r"^acct_[A-Za-z0-9]{1,64}$"
# The examples' account: the one the local Stripe fake has connected from the start.
EXAMPLE_ACCOUNT = "acct_1AtriumLocalOffice"


class PaymentRequest(BaseModel):
    """A payment an app asks a customer of the tenant for: one Checkout line of ``amount``."""

    model_config = ConfigDict(frozen=True)

    reference_kind: str = Field(pattern=REFERENCE_KIND, max_length=60)
    reference_id: str = Field(pattern=REFERENCE_ID)
    amount: int = Field(ge=1, le=99_999_999, description="Stripe's most for one payment in USD: $999,999.99")
    currency: str = Field(pattern=r"^[a-z]{3}$", description="ISO 4217, lower case, as Stripe takes it")
    description: str = Field(min_length=1, max_length=250, description="What the customer pays for, on the page")
    success_url: str = Field(description="Where the browser goes once paid")
    cancel_url: str = Field(description="Where the browser goes back without paying")
    customer_email: str | None = Field(None, description="Filled in on the page, when known")


class PaymentLink(BaseModel):
    """A Checkout Session taking the payment: send the browser to ``url``."""

    checkout_session_id: str = Field(description="The Stripe Checkout Session (cs_...)")
    url: str = Field(description="Stripe's hosted payment page")
    expires_at: datetime = Field(description="When the page stops taking payment")
    amount: int
    currency: str
    stripe_account_id: str | None = Field(description="The tenant's connected Stripe account it pays into; null: "
                                                       "the platform's")


class PaymentCompleted(BaseModel):
    """A customer paid a session made for an app's record (``billing.payment_completed``)."""

    reference_kind: str
    reference_id: str
    amount: int
    currency: str
    payment_intent: str = Field(description="Stripe's PaymentIntent (pi_...): the payment, once per session")
    checkout_session_id: str
    stripe_account_id: str | None
    paid_at: datetime = Field(description="When Stripe completed the session")


class PaymentAccountSet(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"stripe_account_id": EXAMPLE_ACCOUNT}]})

    stripe_account_id: str | None = Field(pattern=STRIPE_ACCOUNT, description=(
        "A Stripe account connected to the platform (Stripe Connect) that takes charges; null: the platform's "
        "account"))


class PaymentAccountOut(BaseModel):
    stripe_account_id: str | None = Field(description="The tenant's connected Stripe account its customers pay "
                                                      "into; null: the platform's account")
    business_name: str | None = Field(description="The account's business name, as Stripe gave it when set")
