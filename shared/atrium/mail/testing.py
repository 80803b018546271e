"""Sample requests of the mail context, for the bench (``atrium.kernel.testing``)."""

from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, Request, RequestSetup
from atrium.mail.categories import Category
from atrium.mail.preferences import unsubscribe_token


def _unsubscribe(fixture: Fixture, spec: RouteSpec) -> Request:
    """The List-Unsubscribe link of a mail to the fixture's owner, with its token as the mail service mints it."""
    user_id = fixture.client.get("/v1/me", headers=fixture.auth).json()["user"]["id"]
    return Request(path=f"{spec.path}?token={unsubscribe_token(fixture.tenant_id, user_id, Category.PRODUCT)}")


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "mail.update_branding": lambda fixture, spec: Request(body={"sender_name": "Bench", "brand_color": "#0a66c2"},
                                                          headers={"If-Match": fixture.etag(spec.path)}),
    "mail.update_email_preferences": lambda _fixture, _: Request(body={"categories": {"product": False}}),
    "mail.unsubscribe": _unsubscribe,
}

AWS_CALL_BUDGETS = {
    "mail.update_branding": CallBudget(2,
        "A consistent GetItem of the branding before the transaction: a stale If-Match fails fast with 412 before any "
        "write (a first branding has no item yet, so its version cannot be checked by the write alone)."),
    "mail.update_email_preferences": CallBudget(2,
        "A consistent GetItem of the user's preferences first: its version for the conditional put, so a concurrent "
        "change (a one-click unsubscribe) fails with 412 instead of being lost."),
    "mail.unsubscribe": CallBudget(2,
        "A consistent GetItem of the user's preferences (the link turns off one category and keeps the others), then "
        "the versioned transaction with its audit entry."),
}
