"""Webhooks' resources: the key endpoints' signing secrets are sealed with, and Stripe's signing secret."""

from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, Generated, Issued, Secret

RESOURCES = [
    Secret(name="webhook-key", description="Atrium key that seals webhook endpoints' signing secrets",
           setting="webhook_secret_id", value=Generated(), grants={Grant.WEBHOOK_KEY_READ: Access.READ},
           not_rotated="Rotating the webhook key would leave every sealed signing secret unreadable; endpoints "
                       "rotate their own secrets instead."),
    # Stripe issues the value: the local stack takes it from ATRIUM_STRIPE_WEBHOOK_SECRET (as `stripe listen`
    # prints it) when set.
    Secret(name="stripe-webhook-secret", description="Stripe's webhook signing secret (whsec_...) for /v1/hooks/stripe",
           setting="stripe_webhook_secret_id", value=Issued(prefix="whsec_", setting="stripe_webhook_secret"),
           grants={Grant.STRIPE_WEBHOOK_SECRET_READ: Access.READ},
           not_rotated="Stripe issues and rolls the signing secret in its dashboard; the new value is put here by "
                       "hand, so there is nothing for a rotation Lambda to do."),
]
