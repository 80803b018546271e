"""Outbound email through SES v2."""
