"""The Stripe API key Atrium calls Stripe with."""

from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, Issued, Secret

RESOURCES = [
    # Stripe issues the value: the local stack takes it from ATRIUM_STRIPE_API_KEY (a test-mode key, sk_test_...)
    # when set, else a random one the Stripe fake accepts.
    Secret(name="stripe-api-key", description="Stripe's secret API key (sk_...) for Checkout, the portal and invoices",
           setting="stripe_api_key_secret_id", value=Issued(prefix="sk_", setting="stripe_api_key"),
           grants={Grant.STRIPE_API_KEY_READ: Access.READ},
           not_rotated="Stripe issues and rolls API keys in its dashboard; the new key is put here by hand, so there "
                       "is nothing for a rotation Lambda to do."),
]
