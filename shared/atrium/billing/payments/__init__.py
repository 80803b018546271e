"""Payments an app takes from its own customers through Stripe Checkout (payment mode), on the tenant's connected
Stripe account or the platform's, and the event of each completed one."""
