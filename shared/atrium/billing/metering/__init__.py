"""Metering: the domain events that already flow, counted exactly once into per-tenant, per-meter counters; the
tenant's usage series; the usage of the metered plan limits (docs/billing.md, Metering)."""
