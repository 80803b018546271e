"""The catalog of email categories. Every email declares one; a user's preferences switch categories on and off.

Transactional categories answer something the recipient (or someone for them) just did, or guard their
account: they are always sent and carry no List-Unsubscribe. The others are notifications: a user may turn
each off (``/v1/me/email-preferences``, or one click from the email itself).
"""

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    SECURITY = "security"
    ACCOUNT = "account"
    INVITATIONS = "invitations"
    CUSTOMER_NOTICES = "customer_notices"
    DOCUMENTS = "documents"
    MENTIONS = "mentions"
    APPROVALS = "approvals"
    WEBHOOK_ALERTS = "webhook_alerts"
    PLUGIN_MESSAGES = "plugin_messages"
    REPORTS = "reports"
    PRODUCT = "product"


@dataclass(frozen=True)
class CategoryInfo:
    transactional: bool
    description: str


CATALOG: dict[Category, CategoryInfo] = {
    Category.SECURITY: CategoryInfo(True, "Email verification, password reset and other account security mail."),
    Category.ACCOUNT: CategoryInfo(True, "Mail about the workspace itself, such as the welcome email."),
    # An invitation goes to an address that is not yet a member: there is nobody whose preference applies.
    Category.INVITATIONS: CategoryInfo(True, "Invitations to join a workspace."),
    # A workspace's own customers have no account here either; a notice is about their service (a test coming due).
    Category.CUSTOMER_NOTICES: CategoryInfo(True, "Notices a workspace sends its own customers about their service."),
    # Sent to an outside office the workspace files documents with: nobody's preference applies.
    Category.DOCUMENTS: CategoryInfo(True, "Documents the workspace files with someone outside it."),
    Category.MENTIONS: CategoryInfo(False, "Someone mentioned you."),
    Category.APPROVALS: CategoryInfo(False, "Something waits for your approval, or was approved or rejected."),
    Category.WEBHOOK_ALERTS: CategoryInfo(False, "A webhook endpoint keeps failing or was disabled."),
    Category.PLUGIN_MESSAGES: CategoryInfo(False, "Messages from the plugins the workspace installed."),
    Category.REPORTS: CategoryInfo(False, "Periodic summaries of the workspace's work (the monthly summary)."),
    Category.PRODUCT: CategoryInfo(False, "News about the product and its features."),
}

SWITCHABLE = frozenset(category for category, info in CATALOG.items() if not info.transactional)


def is_transactional(category: Category) -> bool:
    return CATALOG[category].transactional
