"""Mail API schemas."""

from pydantic import BaseModel, ConfigDict

from atrium.mail.categories import Category


class EmailPreferences(BaseModel):
    """Which categories of email the user gets. Transactional categories (security, account, invitations,
    customer_notices) are always on; a request that turns one off is refused."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"categories": {"product": False, "mentions": True}}]})

    categories: dict[Category, bool]


class Unsubscribed(BaseModel):
    category: Category
    detail: str
