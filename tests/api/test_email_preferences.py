"""Email preferences: read and set them, every sender respects them, List-Unsubscribe on notification mail
only, one-click unsubscribe (RFC 8058), and tampered links refused."""

from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from httpx import Response

from atrium.kernel.tenancy import tenant_scope
from atrium.mail.categories import CATALOG, Category
from atrium.mail.service import Email, send_email
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.account_helpers import audited, mails_to
from tests.api.conftest import Tenant

PATH = "/v1/me/email-preferences"


def _notify(tenant: Tenant, category: Category) -> str | None:
    with tenant_scope(tenant.id):
        return send_email(Email(to=tenant.email, template="notification", category=category, user_id=tenant.user_id,
                                context={"headline": "Ada mentioned you", "message": "In the spring proofs.",
                                         "action_url": "https://app.example.com/p/1", "action_label": "Open"}))


def _set(client: TestClient, tenant: Tenant, categories: dict[str, bool]) -> int:
    status: int = client.put(PATH, json={"categories": categories}, headers=tenant.auth).status_code
    return status


def _click(client: TestClient, link: str) -> Response:
    """What a mail client does for a one-click List-Unsubscribe (RFC 8058)."""
    response: Response = client.post(link, content="List-Unsubscribe=One-Click",
                                     headers={"content-type": "application/x-www-form-urlencoded"})
    return response


def _unsubscribe_link(to: str) -> str:
    (header,) = [mail["list_unsubscribe"] for mail in sent_mail() if mail["to"] == to and mail["list_unsubscribe"]]
    url = urlsplit(header.strip("<>"))
    return f"{url.path}?{url.query}"


def test_every_category_is_on_until_the_user_chooses(client: TestClient, tenant_a: Tenant) -> None:
    response = client.get(PATH, headers=tenant_a.auth)
    assert response.status_code == 200
    assert response.json() == {"categories": dict.fromkeys(CATALOG, True)}


def test_a_user_turns_categories_off_and_on_and_it_is_audited(client: TestClient, tenant_a: Tenant) -> None:
    assert _set(client, tenant_a, {"product": False, "mentions": False}) == 200
    assert _set(client, tenant_a, {"mentions": False}) == 200  # not named: back on
    categories = client.get(PATH, headers=tenant_a.auth).json()["categories"]
    assert categories["mentions"] is False and categories["product"] is True and categories["security"] is True
    assert audited("email_preferences.updated") == [tenant_a.id, tenant_a.id]


def test_transactional_and_unknown_categories_cannot_be_turned_off(client: TestClient, tenant_a: Tenant) -> None:
    for categories in ({"security": False}, {"invitations": False}, {"spam": False}, {"product": "maybe"}):
        response = client.put(PATH, json={"categories": categories}, headers=tenant_a.auth)
        assert response.status_code == 422, categories
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(PATH, headers=tenant_a.auth).json()["categories"]["security"] is True


def test_an_opted_out_category_is_not_sent_and_security_mail_still_is(client: TestClient, worker: Worker,
                                                                      tenant_a: Tenant) -> None:
    worker.drain()  # the welcome email
    assert _set(client, tenant_a, {"mentions": False}) == 200
    assert _notify(tenant_a, Category.MENTIONS) is None
    assert _notify(tenant_a, Category.APPROVALS) is not None
    assert client.post("/v1/auth/password-reset", json={"email": tenant_a.email}).status_code == 202
    worker.drain()
    subjects = [mail["subject"] for mail in sent_mail() if mail["to"] == tenant_a.email]
    assert subjects == ["Atrium: reset your password", "Ada mentioned you", "Welcome to Atrium, Tenant A"]


def test_list_unsubscribe_is_on_notification_mail_and_not_on_transactional(client: TestClient, worker: Worker,
                                                                           tenant_a: Tenant) -> None:
    worker.drain()
    _notify(tenant_a, Category.PRODUCT)
    notification, welcome = sent_mail()  # newest first
    assert welcome["subject"].startswith("Welcome") and welcome["list_unsubscribe"] is None
    assert welcome["list_unsubscribe_post"] is None and "Unsubscribe" not in (welcome["text"] or "")
    assert notification["list_unsubscribe"].startswith("<http://127.0.0.1:8000/v1/email/unsubscribe?token=")
    assert notification["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"


def test_one_click_unsubscribe_turns_that_category_off_for_that_user(client: TestClient, tenant_a: Tenant,
                                                                    tenant_b: Tenant) -> None:
    _notify(tenant_a, Category.PRODUCT)
    link = _unsubscribe_link(tenant_a.email)
    response = _click(client, link)
    assert response.status_code == 200 and response.json()["category"] == "product"
    assert _click(client, link).status_code == 200  # a second click changes nothing
    assert client.get(PATH, headers=tenant_a.auth).json()["categories"]["product"] is False
    assert client.get(PATH, headers=tenant_b.auth).json()["categories"]["product"] is True
    assert _notify(tenant_a, Category.PRODUCT) is None and mails_to(tenant_a.email) == 1
    assert audited("email_preferences.updated") == [tenant_a.id]


def test_a_tampered_or_foreign_token_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    _notify(tenant_a, Category.PRODUCT)
    link = _unsubscribe_link(tenant_a.email)
    flipped = link[:-5] + ("A" if link[-5] != "A" else "B") + link[-4:]
    for bad in (flipped, "/v1/email/unsubscribe?token=gAAAAAnotatoken", "/v1/email/unsubscribe?token=%00"):
        response = _click(client, bad)
        assert response.status_code == 400, bad
        assert response.headers["content-type"].startswith("application/problem+json")
    assert _click(client, "/v1/email/unsubscribe").status_code == 422
    assert client.get(PATH, headers=tenant_a.auth).json()["categories"]["product"] is True
