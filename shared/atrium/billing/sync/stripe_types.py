"""The Stripe event types that change a subscription as Atrium keeps it (the consumer's rule matches only these)."""

SUBSCRIPTION_EVENTS = ("customer.subscription.created", "customer.subscription.updated",
                       "customer.subscription.deleted", "customer.subscription.trial_will_end")
INVOICE_EVENTS = ("invoice.paid", "invoice.payment_failed")
HANDLED = ("checkout.session.completed", *SUBSCRIPTION_EVENTS, *INVOICE_EVENTS)
