"""Email templates: text and HTML, escaping, branding; the sender header; branding validation."""

import datetime as dt
import email
from email import policy

import pytest
from jinja2 import UndefinedError
from pydantic import ValidationError

from atrium.apps.fieldwork.assemblies.schemas import AssemblyChanged
from atrium.apps.fieldwork.customers.models import SiteItem
from atrium.apps.fieldwork.reminders.emails import reminder_context
from atrium.kernel.config import settings
from atrium.mail.branding import Branding
from atrium.mail.rendering import render
from atrium.mail.service import compose
from atrium.webhooks.endpoint_alerts import DETAIL_LIMIT, alert_context
from atrium.webhooks.events import WebhookEndpointDisabled

ACME = Branding(sender_name="Acme Support", brand_color="#0a66c2", logo_url="https://cdn.example.com/acme.png")
HOSTILE = '<script>alert("x")</script> & Co'


def test_welcome_renders_subject_text_and_html_in_the_tenants_branding() -> None:
    rendered = render("welcome", branding=ACME, tenant_name="Acme", tenant_id="ten_1")
    assert rendered.subject == f"Welcome to {settings().app_name}, Acme"
    assert "Your workspace Acme is ready." in rendered.text and "Acme Support" in rendered.text
    assert "<strong>Acme</strong>" in rendered.html
    assert "#0a66c2" in rendered.html and 'src="https://cdn.example.com/acme.png"' in rendered.html
    assert "Unsubscribe" not in rendered.text + rendered.html  # transactional: no unsubscribe link


def test_html_is_escaped_and_text_is_not() -> None:
    rendered = render("invitation", branding=Branding(), tenant_name=HOSTILE, link="https://app/x?a=1&b=2",
                      expires="2026-12-01T00:00:00Z")
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in rendered.html
    assert 'href="https://app/x?a=1&amp;b=2"' in rendered.html
    assert HOSTILE in rendered.text and HOSTILE in rendered.subject


def test_without_branding_the_platform_name_and_default_colour_are_used() -> None:
    rendered = render("one_time_link", branding=Branding(), action="reset your password", intro="Choose one:",
                      link="https://app/reset#token=atr_pwr_x", lifetime="one hour")
    assert rendered.subject == f"{settings().app_name}: reset your password"
    assert "https://app/reset#token=atr_pwr_x" in rendered.text and "<img" not in rendered.html
    assert Branding().color in rendered.html


def test_notification_mail_carries_the_unsubscribe_link() -> None:
    rendered = render("notification", branding=ACME, unsubscribe_url="https://api/v1/email/unsubscribe?token=t",
                      headline="You were mentioned", message="Ada mentioned you.", action_url=None, action_label="")
    assert "https://api/v1/email/unsubscribe?token=t" in rendered.text
    assert 'href="https://api/v1/email/unsubscribe?token=t"' in rendered.html


def test_the_disabled_webhook_alert_escapes_what_the_endpoint_and_receiver_wrote() -> None:
    data = WebhookEndpointDisabled(endpoint_id="ep_1", url="https://hooks.example.com/in?a=1&b=<x>", reason="gone",
                                   detail="410 from <script>x</script>\n" + "long " * 200, failing_since=None)
    context = alert_context(data)
    rendered = render("webhook_endpoint_disabled", branding=Branding(), unsubscribe_url="https://api/u", **context)
    assert rendered.subject == f"{settings().app_name} disabled a webhook endpoint: hooks.example.com"
    assert "https://hooks.example.com/in?a=1&amp;b=&lt;x&gt;" in rendered.html and "<script>" not in rendered.html
    assert "https://hooks.example.com/in?a=1&b=<x>" in rendered.text
    assert "Reason: gone (the receiver answered 410 Gone" in rendered.text
    assert len(context["detail"]) == DETAIL_LIMIT and "\n" not in context["detail"]
    assert "Failing since" not in rendered.text


def test_a_due_reminder_says_when_and_escapes_what_the_office_wrote() -> None:
    example = AssemblyChanged.model_json_schema()["examples"][0]
    assembly = AssemblyChanged.model_validate(example | {"location": HOSTILE, "last_reminder": "30_days"})
    site = SiteItem(name="Main shop", address={"line1": "12 Harbour Road", "city": "Springfield", "region": "OR"})
    context = reminder_context(assembly, "Dana Reyes", site, dt.date(2027, 2, 8))
    rendered = render("notice", branding=ACME, **context)
    assert rendered.subject == "Backflow test due March 10, 2027: RP A12345"
    assert "in 30 days" in rendered.text and "Site: Main shop, 12 Harbour Road, Springfield, OR" in rendered.text
    assert f"Location: {HOSTILE}" in rendered.text and "<script>" not in rendered.html
    overdue = reminder_context(assembly.model_copy(update={"last_reminder": "overdue"}), "Dana Reyes", site,
                               dt.date(2027, 3, 11))
    assert render("notice", branding=ACME, **overdue).subject == \
        "Backflow test overdue since March 10, 2027: RP A12345"


def test_a_missing_variable_is_an_error_not_a_blank() -> None:
    with pytest.raises(UndefinedError):
        render("welcome", branding=ACME, tenant_name="Acme")


def test_the_sender_is_the_tenants_name_at_the_platform_address_quoted_safely() -> None:
    branding = Branding(sender_name='Acme, "Best" Support')
    rendered = render("welcome", branding=branding, tenant_name="Acme", tenant_id="ten_1")
    raw = compose(to="a@example.com", rendered=rendered, branding=branding).as_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    (sender,) = parsed["From"].addresses
    assert sender.display_name == 'Acme, "Best" Support' and sender.addr_spec == settings().mail_from
    assert parsed["List-Unsubscribe"] is None


@pytest.mark.parametrize("field", [
    {"sender_name": "Acme\r\nBcc: victim@example.com"},
    {"sender_name": "   "},
    {"brand_color": "blue"},
    {"brand_color": "#12345"},
    {"logo_url": "http://cdn.example.com/logo.png"},
    {"logo_url": "javascript:alert(1)"},
])
def test_branding_refuses_header_injection_bad_colours_and_non_https_logos(field: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Branding.model_validate(field)
