"""The tenant's side at Stripe: its customer (one per tenant), Checkout and Customer Portal sessions, its invoices."""
