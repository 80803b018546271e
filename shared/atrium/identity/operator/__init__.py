"""The operator realm: platform staff, their sign-in, and what they do to tenants (list, suspend)."""
