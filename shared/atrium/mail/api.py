"""Mail's public face: how another context sends an email, the categories a recipient can switch off, and how
identity holds a new tenant's mail until its owner verifies their address."""

from atrium.mail.categories import Category
from atrium.mail.service import Email, send_email
from atrium.mail.unverified_owner import hold_until_verified, release_if_owner

__all__ = ["Category", "Email", "hold_until_verified", "release_if_owner", "send_email"]
