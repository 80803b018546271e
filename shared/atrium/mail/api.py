"""Mail's public face: how another context sends an email, and the categories a recipient can switch off."""

from atrium.mail.categories import Category
from atrium.mail.service import Email, send_email

__all__ = ["Category", "Email", "send_email"]
