"""Webhooks: outbound endpoints that receive the tenant's events, signed (Standard Webhooks), and inbound
receivers (tenant inbound hooks, Stripe)."""
