"""Billing: the plans Atrium sells, each tenant's subscription and its Stripe side, and what a plan entitles to."""
