"""Members of a tenant and invitations to join it."""
