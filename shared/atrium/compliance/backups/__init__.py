"""Tenant backups: snapshots of a tenant's items and files in the files bucket, restored into a new tenant or the
same one (docs/compliance.md)."""
