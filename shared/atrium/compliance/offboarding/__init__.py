"""Tenant deletion: the owner asks, the tenant is suspended for a grace period with a final backup to fetch, then
a daily schedule deletes its items, files, data keys and the global items that point at it (docs/compliance.md)."""
