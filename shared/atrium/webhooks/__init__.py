"""Webhooks: inbound receivers (tenant inbound hooks, Stripe)."""
