"""Data protection: the tenants' data keys (rotation, re-encryption)."""
