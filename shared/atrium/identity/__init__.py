"""Tenants, users, memberships, sessions and tokens."""
