"""Webhooks: outbound endpoints that receive the tenant's events, signed (Standard Webhooks)."""
