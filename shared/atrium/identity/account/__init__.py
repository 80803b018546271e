"""Account security: password change and reset, email verification, TOTP multi-factor sign-in.

Users are global (identity.models.UserItem); every change to one is written in a unit of work
in a tenant the user belongs to, so the change and its audit entry are one transaction.
"""
