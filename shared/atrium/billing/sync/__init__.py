"""Stripe's events made the tenant's subscription (re-read from Stripe), and dunning (grace period, emails)."""
