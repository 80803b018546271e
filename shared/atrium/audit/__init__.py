"""Audit: each tenant's tamper-evident log of every change, with verification, listing and export."""
