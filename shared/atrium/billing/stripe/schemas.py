"""Checkout, the Customer Portal and invoices in the API."""

from pydantic import BaseModel, ConfigDict, Field

from atrium.billing.plans.catalog import Interval


class CheckoutCreate(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"plan": "professional", "interval": "month"}]})

    plan: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$",
                      description="A plan sold through Checkout (one with a Stripe price for the interval)")
    interval: Interval = Field(description="How often the subscription is billed")


class CheckoutSessionOut(BaseModel):
    id: str = Field(description="The Stripe Checkout Session (cs_...)")
    url: str = Field(description="Stripe's hosted payment page: send the browser there")
    expires_at: str = Field(description="When the page stops accepting payment")


class PortalSessionOut(BaseModel):
    url: str = Field(description="Stripe's Customer Portal for the tenant, for a few minutes: send the browser there")


class InvoiceOut(BaseModel):
    id: str = Field(description="Stripe's invoice id (in_...)")
    number: str | None = Field(description="The number printed on the invoice; none while it is a draft")
    status: str | None = Field(description="draft, open, paid, uncollectible or void")
    currency: str
    total: int = Field(description="In the currency's smallest unit (cents)")
    amount_due: int
    amount_paid: int
    created_at: str
    hosted_invoice_url: str | None = Field(description="Stripe's page to view and pay the invoice")
    pdf_url: str | None = Field(description="The invoice as a PDF")


class InvoiceList(BaseModel):
    data: list[InvoiceOut]
    next_cursor: str | None
