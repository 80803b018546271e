"""Sample requests of the mail context, for the bench (``atrium.kernel.testing``)."""

from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import Fixture, Request, RequestSetup
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
